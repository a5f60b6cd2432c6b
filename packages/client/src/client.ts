/** createClient: the Partner Center REST client, its headers and its retry loop. */

import { formatIfMatch, getStatusInfo, normalizeErrorResponse } from '@apifault/contract';
import { type PreparedBody, prepareBody } from './body.js';
import { type Clock, sleep, systemClock } from './clock.js';
import { CLOUDS } from './clouds.js';
import { authorizationValue, CredentialCache } from './credential-cache.js';
import { ApiResponseError } from './errors/ApiResponseError.js';
import type { FailedRequest } from './errors/failed-request.js';
import { NetworkError } from './errors/NetworkError.js';
import { TimeoutError } from './errors/TimeoutError.js';
import { newId } from './ids.js';
import type {
  AttemptContext,
  ClientOptions,
  ClientResponse,
  QueryValue,
  RequestOptions,
  RetryEvent,
} from './options.js';
import { decideRetry, type Failure, readRetryAfter, resolveRetryPolicy } from './retry-policy.js';
import { type AttemptInput, describeAttempt, sendAttempt } from './send-attempt.js';

/** The default per-attempt timeout, in ms. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** The default `X-Locale`. */
export const DEFAULT_CLIENT_LOCALE = 'en-US';

/** A request without a method, for the shorthands. */
type Shorthand = <T = unknown>(
  path: string,
  options?: RequestOptions,
) => Promise<ClientResponse<T>>;

/** The client {@link createClient} returns. */
export interface Client {
  /** The API root requests go to. */
  readonly baseUrl: string;
  /**
   * Sends a request, retrying by the policy. Resolves with a 2xx response.
   *
   * @throws ApiResponseError for any other status, after the retries it allows
   * @throws TimeoutError when the last attempt timed out
   * @throws NetworkError when the last attempt lost its connection
   * @throws the caller's `signal.reason` when the signal aborts
   */
  request<T = unknown>(
    method: string,
    path: string,
    options?: RequestOptions,
  ): Promise<ClientResponse<T>>;
  /** `request('GET', …)`. */
  get: Shorthand;
  /** `request('POST', …)`; not retried after 5xx or network errors unless `idempotent`. */
  post: Shorthand;
  /** `request('PATCH', …)`; not retried after 5xx or network errors unless `idempotent`. */
  patch: Shorthand;
  /** `request('PUT', …)`. */
  put: Shorthand;
  /** `request('DELETE', …)`. */
  delete: Shorthand;
}

function resolveBaseUrl(options: ClientOptions): string {
  if (options.baseUrl !== undefined && options.cloud !== undefined) {
    throw new TypeError('Give createClient either baseUrl or cloud, not both');
  }
  if (options.baseUrl !== undefined) {
    const url = new URL(String(options.baseUrl));
    return url.href.replace(/\/+$/, '');
  }
  const cloud = options.cloud ?? 'global';
  const root = CLOUDS[cloud];
  if (root === undefined) throw new TypeError(`Unknown cloud ${JSON.stringify(cloud)}`);
  return root;
}

function buildUrl(base: string, path: string, query: RequestOptions['query']): URL {
  const url = /^https?:\/\//i.test(path)
    ? new URL(path)
    : new URL(path.startsWith('/') ? base + path : `${base}/${path}`);
  if (query) {
    for (const [name, value] of Object.entries(query) as [string, QueryValue][]) {
      if (value === undefined) continue;
      if (Array.isArray(value))
        for (const item of value) url.searchParams.append(name, String(item));
      else url.searchParams.append(name, String(value));
    }
  }
  return url;
}

function checkTimeout(name: string, value: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new RangeError(`${name} must be a number of ms > 0 (or Infinity), got ${String(value)}`);
  }
  return value;
}

/** The success body: parsed JSON, `undefined` when empty, the text when it is not JSON. */
function parseData(text: string, headers: Headers): unknown {
  if (text === '') return undefined;
  const type = headers.get('content-type');
  // The common type skips the pattern; anything else is matched by it.
  if (
    type !== null &&
    type !== 'application/json' &&
    !type.startsWith('application/json;') &&
    !/[/+]json\b/i.test(type)
  ) {
    return text;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) out[name] = value;
  return out;
}

function toApiResponseError(
  response: Response,
  text: string,
  request: FailedRequest,
  now: number,
): ApiResponseError {
  const { status, headers } = response;
  const normalized = normalizeErrorResponse({ status, headers, bodyText: text });
  return new ApiResponseError({
    status,
    code: normalized.body.code,
    description: normalized.body.description,
    data: normalized.body.data,
    source: normalized.body.source,
    category: status >= 400 && status <= 599 ? getStatusInfo(status).category : 'Unknown',
    requestId: headers.get('ms-requestid') || request.requestId,
    correlationId: headers.get('ms-correlationid') || request.correlationId,
    cv: headers.get('ms-cv') ?? undefined,
    retryAfterMs: readRetryAfter(headers, now),
    headers: toRecord(headers),
    bodyText: normalized.raw,
    deviations: normalized.deviations,
    request,
  });
}

/**
 * Creates a Partner Center client. Every error response becomes an {@link ApiResponseError}
 * through the contract's normalizer; retries follow the README's table.
 *
 * @throws TypeError when both `baseUrl` and `cloud` are given, or the URL is invalid
 * @throws RangeError when a timeout or retry number is out of range
 * @example
 * const client = createClient({ cloud: 'global', credential: () => getToken() });
 * const { data } = await client.get('/v1/customers', { query: { size: 20 } });
 */
export function createClient(options: ClientOptions = {}): Client {
  const baseUrl = resolveBaseUrl(options);
  const policy = resolveRetryPolicy(options.retry);
  const clock: Clock = options.clock ?? systemClock;
  const clientTimeout = checkTimeout('timeout', options.timeout ?? DEFAULT_TIMEOUT_MS);
  const locale = options.locale ?? DEFAULT_CLIENT_LOCALE;
  const application = options.application;
  const credentials = options.credential ? new CredentialCache(options.credential) : undefined;
  const beforeRequest = options.hooks?.beforeRequest ?? [];
  const afterResponse = options.hooks?.afterResponse ?? [];
  // Looked up per call, so a fetch patched after creation (tests, polyfills) is used.
  const fetchFn: typeof globalThis.fetch = options.fetch ?? ((input, init) => fetch(input, init));

  // Checked (and trimmed) once here so a bad value fails at creation, not as a network
  // error later.
  const fixed = new Headers({
    'x-locale': locale,
    ...(application === undefined ? {} : { 'ms-partnercenter-application': application }),
  });
  const localeValue = fixed.get('x-locale') ?? locale;
  const applicationValue =
    application === undefined ? undefined : (fixed.get('ms-partnercenter-application') ?? '');

  /**
   * The headers every attempt of one request shares, lower-case names. Values the caller
   * gave pass through `Headers` first, so an invalid one is a TypeError before sending.
   */
  function requestHeaders(
    requestOptions: RequestOptions,
    body: PreparedBody,
  ): Record<string, string> {
    // One literal per request, names in sorted order as a `Headers` copy would send them:
    // spreading a shared record per request cost more than the rest of the request's work.
    const out: Record<string, string> =
      applicationValue === undefined
        ? {
            accept: 'application/json',
            'x-locale': localeValue,
            'ms-requestid': newId(),
            'ms-correlationid': newId(),
          }
        : {
            accept: 'application/json',
            'ms-partnercenter-application': applicationValue,
            'x-locale': localeValue,
            'ms-requestid': newId(),
            'ms-correlationid': newId(),
          };
    if (body.contentType !== undefined) out['content-type'] = body.contentType;
    const { headers: own, requestId, correlationId, ifMatch } = requestOptions;
    if (
      own === undefined &&
      requestId === undefined &&
      correlationId === undefined &&
      ifMatch === undefined
    ) {
      return out;
    }
    const checked = new Headers(out);
    if (requestId !== undefined) checked.set('ms-requestid', requestId);
    if (correlationId !== undefined) checked.set('ms-correlationid', correlationId);
    if (ifMatch !== undefined) checked.set('if-match', formatIfMatch(ifMatch));
    if (own instanceof Headers) for (const [name, value] of own) checked.set(name, value);
    else if (own) for (const [name, value] of Object.entries(own)) checked.set(name, value);
    return Object.fromEntries(checked);
  }

  async function request<T = unknown>(
    method: string,
    path: string,
    requestOptions: RequestOptions = {},
  ): Promise<ClientResponse<T>> {
    const { signal } = requestOptions;
    signal?.throwIfAborted();
    const verb = method.toUpperCase();
    const deadlineAt = clock.now() + policy.deadlineMs;
    const url = buildUrl(baseUrl, path, requestOptions.query);
    const body = prepareBody(requestOptions.body);
    const base = requestHeaders(requestOptions, body);
    const requestId = base['ms-requestid']!;
    const correlationId = base['ms-correlationid']!;
    const ownAuthorization = base['authorization'] !== undefined;
    const hooked = beforeRequest.length > 0 || afterResponse.length > 0;
    const idempotent = requestOptions.idempotent ?? policy.idempotentMethods.has(verb);
    const maxAttempts = body.replayable ? policy.attempts : 1;
    const timeout =
      requestOptions.timeout === undefined
        ? clientTimeout
        : checkTimeout('timeout', requestOptions.timeout);
    let refreshed = false;

    for (let attempt = 1; ; attempt++) {
      let token: string | undefined;
      let headers: Record<string, string> | Headers = base;
      if (credentials && !ownAuthorization) {
        const cached = credentials.get();
        token = typeof cached === 'string' ? cached : await cached;
        signal?.throwIfAborted();
        // Set in place rather than copied: every attempt sets it again, `fetch` copies the
        // record when called, and an error describes the headers before the next attempt.
        base['authorization'] = authorizationValue(token);
      }
      // Hooks get a mutable Headers; without hooks the plain record is cheaper to send.
      let context: AttemptContext | undefined;
      if (hooked) {
        headers = new Headers(headers);
        context = { method: verb, url, headers, attempt, requestId, correlationId };
        for (const hook of beforeRequest) await hook(context);
      }
      let input: AttemptInput;
      let failure: Failure;
      let error: ApiResponseError | NetworkError | TimeoutError;
      try {
        input = {
          fetch: fetchFn,
          clock,
          method: verb,
          url,
          headers,
          context,
          body: body.init,
          streaming: !body.replayable,
          signal,
          timeoutMs: Math.min(timeout, Math.max(0, deadlineAt - clock.now())),
          afterResponse,
          requestId,
          correlationId,
          attempt,
        };
        const { response, text } = await sendAttempt(input);
        const { status } = response;
        if (status >= 200 && status < 300) {
          const { headers: responseHeaders } = response;
          return { status, headers: responseHeaders, data: parseData(text, responseHeaders) as T };
        }
        const apiError = toApiResponseError(response, text, describeAttempt(input), clock.now());
        if (
          status === 401 &&
          credentials &&
          token !== undefined &&
          !refreshed &&
          attempt < maxAttempts &&
          response.headers.has('www-authenticate') &&
          clock.now() < deadlineAt
        ) {
          // One fresh token, one retry: a second 401 ends the request.
          refreshed = true;
          await notify({
            attempt,
            delayMs: 0,
            reason: 'credential-refresh',
            error: apiError,
            requestId,
          });
          await credentials.refresh(token);
          signal?.throwIfAborted();
          continue;
        }
        failure = { kind: 'status', status, retryAfterMs: apiError.retryAfterMs };
        error = apiError;
      } catch (thrown) {
        if (thrown instanceof TimeoutError) failure = { kind: 'timeout' };
        else if (thrown instanceof NetworkError) failure = { kind: 'network-error' };
        else throw thrown;
        error = thrown;
      }

      const decision =
        attempt < maxAttempts ? decideRetry(policy, failure, attempt, idempotent) : undefined;
      if (!decision?.retry) throw error;
      // A wait that would reach the deadline leaves no time for the next attempt.
      if (clock.now() + decision.delayMs >= deadlineAt) throw error;
      await notify({
        attempt,
        delayMs: decision.delayMs,
        reason: decision.reason,
        error,
        requestId,
      });
      if (decision.delayMs > 0) await sleep(decision.delayMs, clock, signal);
      else signal?.throwIfAborted();
    }
  }

  async function notify(event: RetryEvent): Promise<void> {
    if (policy.onRetry) await policy.onRetry(event);
  }

  const shorthand =
    (verb: string): Shorthand =>
    (path, requestOptions) =>
      request(verb, path, requestOptions);

  return {
    baseUrl,
    request,
    get: shorthand('GET'),
    post: shorthand('POST'),
    patch: shorthand('PATCH'),
    put: shorthand('PUT'),
    delete: shorthand('DELETE'),
  };
}
