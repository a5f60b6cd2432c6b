/** @apifault/server: not built yet. */
export {};
