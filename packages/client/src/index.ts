/** @apifault/client: a Partner Center REST client with typed errors and Retry-After-aware retries. */

export { type Client, createClient, DEFAULT_CLIENT_LOCALE, DEFAULT_TIMEOUT_MS } from './client.js';
export { type Clock, systemClock } from './clock.js';
export { CLOUDS, type CloudName } from './clouds.js';
export {
  ApiResponseError,
  type ApiResponseErrorInit,
  isApiResponseError,
} from './errors/ApiResponseError.js';
export { type FailedRequest, REDACTED } from './errors/failed-request.js';
export { isNetworkError, NetworkError } from './errors/NetworkError.js';
export { isTimeoutError, TimeoutError } from './errors/TimeoutError.js';
export type {
  AfterResponseHook,
  AttemptContext,
  BeforeRequestHook,
  ClientOptions,
  ClientResponse,
  Credential,
  CredentialContext,
  Hooks,
  QueryValue,
  RequestOptions,
  ResponseInfo,
  RetryEvent,
  RetryOptions,
  RetryReason,
} from './options.js';
export { backoffDelay, RETRY_DEFAULTS, readRetryAfter } from './retry-policy.js';
