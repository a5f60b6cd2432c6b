/** @apifault/conformance: not built yet. */
export {};
