/** The options of the client and of each request, with their defaults. */

import type { Clock } from './clock.js';
import type { CloudName } from './clouds.js';

/** Why the client retries: the `reason` {@link RetryOptions.onRetry} receives. */
export type RetryReason =
  /** 429/503 with `Retry-After` (or a millisecond variant): the server's wait, never jittered. */
  | 'retry-after'
  /** A retryable status without a server wait: exponential backoff with full jitter. */
  | 'backoff'
  /** The connection failed or the body was cut off (idempotent requests only). */
  | 'network-error'
  /** The attempt timed out (idempotent requests only). */
  | 'timeout'
  /** A 401 with a `WWW-Authenticate` challenge: one fresh token, one retry. */
  | 'credential-refresh';

/** One retry decision, as {@link RetryOptions.onRetry} sees it. */
export interface RetryEvent {
  /** The attempt that just failed, from 1. */
  attempt: number;
  /** The wait before the next attempt, in ms. */
  delayMs: number;
  /** Why the client retries. */
  reason: RetryReason;
  /** The error of the attempt that failed (`ApiResponseError`, `NetworkError` or `TimeoutError`). */
  error: Error;
  /** The request's `MS-RequestId`, the same on every attempt. */
  requestId: string;
}

/** The retry policy. Every number is configurable; see the README's retry table. */
export interface RetryOptions {
  /**
   * The most attempts one request makes, the first and the credential refresh included.
   * `1` turns retries off.
   * @default 4
   */
  attempts?: number;
  /**
   * The first backoff ceiling; attempt n waits a random time in [0, baseDelayMs · 2^(n-1)].
   * @default 500
   */
  baseDelayMs?: number;
  /** The largest backoff ceiling. @default 30000 */
  maxDelayMs?: number;
  /** The longest server-asked wait honoured; a longer `Retry-After` is clamped to it. @default 60000 */
  maxRetryAfterMs?: number;
  /**
   * The total time one request may take, all attempts and waits included. A wait that
   * would pass it ends the request at once with the last error.
   * @default 120000
   */
  deadlineMs?: number;
  /** Statuses retried for every method after `Retry-After` (else backoff). @default [429, 503] */
  retryAfterStatuses?: readonly number[];
  /** Statuses retried with backoff, idempotent requests only. @default [408, 500, 502, 504] */
  backoffStatuses?: readonly number[];
  /** Methods retried after network errors, timeouts and `backoffStatuses`. @default ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'] */
  idempotentMethods?: readonly string[];
  /** The random source of the jitter, in [0, 1). @default Math.random */
  random?: () => number;
  /** Called before each retry with the decision; awaited. */
  onRetry?: (event: RetryEvent) => void | Promise<void>;
}

/** What hooks see of an attempt. */
export interface AttemptContext {
  /** The HTTP method, upper case. */
  readonly method: string;
  /** The full URL. */
  readonly url: URL;
  /** The headers about to be sent; `beforeRequest` may change them. */
  readonly headers: Headers;
  /** The attempt number, from 1. */
  readonly attempt: number;
  /** The `MS-RequestId`, the same on every attempt. */
  readonly requestId: string;
  /** The `MS-CorrelationId`. */
  readonly correlationId: string;
}

/** What `afterResponse` sees of a response (before its body is read). */
export interface ResponseInfo {
  /** The HTTP status. */
  readonly status: number;
  /** The response headers. */
  readonly headers: Headers;
}

/** Runs before each attempt is sent; may set or remove headers. */
export type BeforeRequestHook = (context: AttemptContext) => void | Promise<void>;
/** Runs when an attempt's response headers arrive, for every status (logging, metrics). */
export type AfterResponseHook = (
  context: AttemptContext,
  response: ResponseInfo,
) => void | Promise<void>;

/** Hooks, each list run in order and awaited. */
export interface Hooks {
  /** Before each attempt. @default [] */
  beforeRequest?: readonly BeforeRequestHook[];
  /** After each attempt's response headers. @default [] */
  afterResponse?: readonly AfterResponseHook[];
}

/** What the credential function receives. */
export interface CredentialContext {
  /** True when the service rejected the cached token: return a fresh one. */
  forceRefresh: boolean;
}

/**
 * Returns a bearer token (or a full `Authorization` value such as `Bearer x`). Called for
 * the first request, then again only after a 401 challenge, with `forceRefresh: true`.
 */
export type Credential = (context: CredentialContext) => string | Promise<string>;

/** The options of {@link createClient}. */
export interface ClientOptions {
  /** The API root; request paths are appended to it. Give this or `cloud`. */
  baseUrl?: string | URL;
  /** A cloud preset for the API root. @default 'global' (when `baseUrl` is not given) */
  cloud?: CloudName;
  /** Supplies the bearer token. Without it no `Authorization` header is sent. */
  credential?: Credential;
  /** The `X-Locale` sent. @default 'en-US' */
  locale?: string;
  /** The `MS-PartnerCenter-Application` sent, when set (your application's name). */
  application?: string;
  /** The retry policy. */
  retry?: RetryOptions;
  /**
   * The time one attempt may take, headers and body, in ms. `Infinity` turns it off.
   * @default 30000
   */
  timeout?: number;
  /** The `fetch` to use. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Hooks around each attempt. */
  hooks?: Hooks;
  /** The clock timers and deadlines use (tests pass a fake one). @default the platform's */
  clock?: Clock;
}

/** Query values; arrays repeat the parameter, `undefined` skips it. */
export type QueryValue =
  | string
  | number
  | boolean
  | undefined
  | readonly (string | number | boolean)[];

/** The options of one request. */
export interface RequestOptions {
  /** Query parameters appended to the URL. */
  query?: Readonly<Record<string, QueryValue>>;
  /**
   * The body. Strings, bytes, `Blob`, `URLSearchParams` and `FormData` go as they are;
   * `ReadableStream`s and async iterables are streamed (and never retried); anything else
   * is serialized as JSON once, with `Content-Type: application/json`.
   */
  body?: unknown;
  /** Headers of this request; they override the client's. */
  headers?: Readonly<Record<string, string>> | Headers;
  /**
   * The ETag for `If-Match`, written by `formatIfMatch` of `@apifault/contract`: a bare tag is
   * double-quoted, `W/"…"`, `"…"` and `*` are kept.
   */
  ifMatch?: string;
  /** Cancels the request and any pending wait; the rejection is `signal.reason`, untouched. */
  signal?: AbortSignal;
  /** Marks a POST or PATCH safe to retry after network errors and 5xx. @default by method */
  idempotent?: boolean;
  /** The `MS-CorrelationId` to send. @default a new UUID per request */
  correlationId?: string;
  /** The `MS-RequestId` to send on every attempt. @default a new UUID per request */
  requestId?: string;
  /** The per-attempt timeout of this request, in ms. @default the client's `timeout` */
  timeout?: number;
}

/** A successful (2xx) response. */
export interface ClientResponse<T = unknown> {
  /** The HTTP status. */
  status: number;
  /** The response headers. */
  headers: Headers;
  /**
   * The parsed JSON body; `undefined` for 204 or an empty body; the text when the body
   * is not JSON.
   */
  data: T;
}
