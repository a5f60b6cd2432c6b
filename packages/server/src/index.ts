/** @apifault/server: every error status from a real mechanism, rendered with the contract; node:http adapter included. */

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
// The other mechanisms, each in its own folder.
export * from './availability/index.js';
export {
  assertJsonContentType,
  bodyTimeout,
  emptyBody,
  type FieldError,
  invalidJson,
  isJsonContentType,
  parseJsonBody,
  payloadTooLarge,
  type ReadBodyOptions,
  readJsonBody,
  readJsonRequest,
  unsupportedContentType,
  validationError,
} from './body/index.js';
export * from './conflict/index.js';
export * from './deadline/index.js';
export { acceptsJson, checkAccept } from './negotiate/index.js';
export * from './not-implemented/index.js';
export {
  type ApifaultOptions,
  type Logger,
  type ResolvedOptions,
  resolveOptions,
  silentLogger,
} from './options.js';
export * from './preconditions/index.js';
export * from './rate-limit/index.js';
export {
  classifyError,
  type ErrorParts,
  localeOf,
  optionsParts,
  type RenderContext,
  type RenderedError,
  renderError,
  renderParts,
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
export * from './upstream/index.js';
