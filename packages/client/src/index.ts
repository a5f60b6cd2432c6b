/** @apifault/client: not built yet. */
export {};
