/** @apifault/server: every error status from a real mechanism, run through one request pipeline; node:http adapter included. */

export {
  type App,
  type Context,
  clientErrorListener,
  createApp,
  installClientErrorHandler,
  type RouteHandler,
  sendError,
  withApifault,
} from './adapters/node.js';
export {
  type AuthOptions,
  authenticate,
  type BearerParse,
  parseBearer,
  type RequestInfo,
} from './auth/index.js';
export {
  type LoadShedder,
  type LoadSheddingOptions,
  loadShedding,
  type MaintenanceCheck,
  type MaintenanceOptions,
  maintenance,
} from './availability/index.js';
export {
  bodyTimeout,
  declaresBody,
  emptyBody,
  type FieldError,
  invalidJson,
  isJsonContentType,
  payloadTooLarge,
  type ReadBodyOptions,
  readJsonBody,
  readJsonRequest,
  unsupportedContentType,
  validationError,
} from './body/index.js';
export {
  type ConflictInput,
  type ConflictingResource,
  conflictError,
  isUniqueViolation,
} from './conflict/index.js';
export { type DeadlineOptions, withDeadline } from './deadline/index.js';
export {
  type ClaimResult,
  type Fingerprint,
  type IdempotencyOptions,
  type IdempotencyRecord,
  type IdempotencyRedisClient,
  type IdempotencyStore,
  isStoredStatus,
  type MemoryIdempotencyStoreOptions,
  memoryIdempotencyStore,
  type ObservedResponse,
  REPLAYED_HEADER,
  type RedisIdempotencyStoreOptions,
  redisIdempotencyStore,
  STORED_HEADERS,
  type StoredResponse,
} from './idempotency/index.js';
export { accepts, acceptsJson, checkAccept } from './negotiate/index.js';
export { notImplementedRoute, unknownMethodError } from './not-implemented/index.js';
export {
  type ApifaultOptions,
  type Logger,
  type ResolvedOptions,
  resolveOptions,
} from './options.js';
export {
  type AdapterParts,
  Exchange,
  type ObserveOptions,
  Pipeline,
  type ResponseObserver,
  ResponseObservers,
  routeMiss,
  STAGE_POINTS,
  STOP,
  type Stage,
  type StagePoint,
  type StageResult,
  type TargetOptions,
} from './pipeline/index.js';
export {
  checkPreconditions,
  type PreconditionOptions,
  type PreconditionRequest,
  type PreconditionResult,
  parseHttpDate,
  type ResourceState,
} from './preconditions/index.js';
export {
  type ConnectRedisStoreOptions,
  connectRedisStore,
  createRateLimiter,
  memoryStore,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimiterOptions,
  type RateLimitLogger,
  type RateLimitPolicy,
  type RateLimitRequest,
  type RateLimitStore,
  type RateLimitWindow,
  type RedisClientLike,
  type RedisStore,
  type RedisStoreOptions,
  redisClientOptions,
  redisStore,
  type WindowCounter,
  type WindowCounterOptions,
  type WindowUsage,
} from './rate-limit/index.js';
export { LIBRARY_RECOGNIZERS } from './recognize/library-errors.js';
export {
  type ErrorBag,
  type ErrorParts,
  type ErrorPartsInit,
  type ErrorRecognizer,
  errorParts,
  localeOf,
  type RecognizeContext,
  type RenderContext,
  type RenderedError,
  renderError,
} from './render/index.js';
export {
  echoOrGenerateId,
  generateId,
  type HeadersRecord,
  isSaneId,
  type RequestIds,
  resolveRequestIds,
  sanitizeHeaderValue,
} from './request-ids/index.js';
export {
  isStandardMethod,
  type RouteMatch,
  RouteTable,
  STANDARD_METHODS,
} from './routing/index.js';
export {
  type CallUpstreamOptions,
  callUpstream,
  UpstreamError,
  type UpstreamErrorOptions,
  type UpstreamFailureKind,
  type UpstreamRequestInit,
  upstreamApiError,
  upstreamNetworkError,
} from './upstream/index.js';
