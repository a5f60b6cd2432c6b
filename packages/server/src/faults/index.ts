/**
 * @apifault/server/faults: fault rules (the one-line syntax and JSON form), the engine that
 * decides which fires, the contract errors they inject and how a 429 looks on the wire; shared
 * by the emulator and the proxy.
 */

export { FaultEngine } from './engine.js';
export { FaultRuleError } from './fault-rule-error.js';
export {
  FORCE_STATUS_HEADER,
  forcedStatus,
  injectedError,
  playFault,
} from './inject.js';
export {
  COMMERCE_TARGET,
  checkRuleCount,
  describeRule,
  type FaultAction,
  type FaultRule,
  type FaultRuleFile,
  type FaultRuleHost,
  type FaultRuleInput,
  faultRulesFromArgs,
  MAX_FAULT_RULES,
  MAX_PATTERN_LENGTH,
  parseFaultRule,
  parseFaultRules,
} from './rules.js';
export { partnerCenterWire, type WireFormat } from './wire.js';
