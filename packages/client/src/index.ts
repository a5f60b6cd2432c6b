/** @apifault/client: a Partner Center REST client with typed errors and Retry-After-aware retries. */

export { type Client, createClient } from './client.js';
export type { Clock } from './clock.js';
export type { CloudName } from './clouds.js';
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
export { RETRY_DEFAULTS } from './retry-policy.js';
