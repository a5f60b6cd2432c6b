/** Moved to `@apifault/server/faults` (shared with the proxy); this path stays until every import names the new one. */
export { FaultRuleError } from '@apifault/server/faults';
