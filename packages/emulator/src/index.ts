/** @apifault/emulator: not built yet. */
export {};
