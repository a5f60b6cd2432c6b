/** The request pipeline: named stages run in one order on every adapter. */

export { Exchange } from './exchange.js';
export {
  type AdapterParts,
  Pipeline,
  pipelineOf,
  routeMiss,
  TOO_MANY_HEADERS,
} from './pipeline.js';
export {
  type ObservedResponse,
  type ObserveOptions,
  type ResponseObserver,
  ResponseObservers,
} from './response-observers.js';
export {
  STAGE_POINTS,
  STOP,
  type Stage,
  type StagePoint,
  type StageResult,
} from './stages.js';
export {
  checkTarget,
  pathOfTarget,
  type TargetLimits,
  type TargetOptions,
  targetLimits,
} from './target.js';
