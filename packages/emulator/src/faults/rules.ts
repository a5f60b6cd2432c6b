/** Moved to `@apifault/server/faults` (shared with the proxy); this path stays until every import names the new one. */
export {
  COMMERCE_TARGET,
  checkRuleCount,
  describeRule,
  type FaultAction,
  type FaultRule,
  type FaultRuleInput,
  MAX_FAULT_RULES,
  MAX_PATTERN_LENGTH,
  parseFaultRule,
  parseFaultRules,
} from '@apifault/server/faults';
