/** @apifault/contract: the Partner Center REST error contract. */

export { ApiError, type ApiErrorOptions, isApiError, type ToBodyOptions } from './api-error.js';
export { type DescriptionOptions, MAX_DESCRIPTION_LENGTH, toDescription } from './description.js';
export {
  type EntityTag,
  type EtagList,
  type FormatEtagOptions,
  formatEtag,
  formatIfMatch,
  parseEtag,
  parseEtagList,
  strongMatch,
  weakMatch,
} from './entity-tag.js';
export { ERROR_CONTENT_TYPE, type ErrorBody } from './error-body.js';
export {
  badGateway,
  badRequest,
  conflict,
  DEFAULT_REALM,
  type FactoryInput,
  forbidden,
  formatAllow,
  formatChallenge,
  gatewayTimeout,
  internalServerError,
  type MethodNotAllowedInput,
  methodNotAllowed,
  notAcceptable,
  notFound,
  notImplemented,
  preconditionFailed,
  type RetryAfterInput,
  requestTimeout,
  serviceUnavailable,
  tooManyRequests,
  type UnauthorizedInput,
  unauthorized,
} from './factories.js';
export {
  DEFAULT_LOCALE,
  defaultDescription,
  LOCALES,
  type Locale,
  type LocaleSources,
  matchLocale,
  negotiateLocale,
  parseAcceptLanguage,
  reasonPhrase,
} from './locales.js';
export {
  DEVIATION_KINDS,
  type Deviation,
  type DeviationKind,
  type HeadersLike,
  type NormalizedError,
  type NormalizeInput,
  normalizeErrorResponse,
} from './normalize.js';
export { formatRetryAfter, MAX_RETRY_AFTER_SECONDS, parseRetryAfter } from './retry-after.js';
export { errorBodySchema } from './schema.js';
export {
  type Category,
  type ContractStatus,
  getStatusInfo,
  isContractStatus,
  type RetryClass,
  STATUSES,
  type StatusInfo,
} from './statuses.js';
export { isErrorBody, type Violation, validateErrorBody } from './validate.js';
