/** @apifault/conformance: probe any API and report where its error answers break the contract. */

export { checkConformance } from './check.js';
export { type AnswerViolation, checkAnswer, type ObservedAnswer } from './check-answer.js';
export { CheckOptionsError } from './check-options-error.js';
export { type CliIo, checkCli } from './cli-main.js';
export { formatJson } from './format/json.js';
export { escapeXml, formatJunit } from './format/junit.js';
export { formatTable, type TableOptions } from './format/table.js';
export { TargetUnreachableError } from './target-unreachable-error.js';
export {
  type BurstOptions,
  type CheckOptions,
  type FetchLike,
  type Finding,
  type PathSpec,
  PROBE_NAMES,
  type ProbeName,
  type ProbeResult,
  type ProgressEvent,
  type ReceivedResponse,
  type Report,
  type SentRequest,
  type Severity,
  type SkippedProbe,
} from './types.js';
