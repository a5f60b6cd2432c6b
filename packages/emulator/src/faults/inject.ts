/** Moved to `@apifault/server/faults` (shared with the proxy); this path stays until every import names the new one. */
export {
  FORCE_STATUS_HEADER,
  forcedStatus,
  injectedError,
  playFault,
} from '@apifault/server/faults';
