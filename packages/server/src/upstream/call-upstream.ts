/** 502/504: calls an upstream JSON service and turns every way it can fail into a contract error. */

import { systemCodeOf, upstreamApiError, upstreamNetworkError } from './network-failure.js';
import { BodyTooLargeError, readBodyText } from './read-body.js';
import {
  UpstreamError,
  type UpstreamErrorOptions,
  type UpstreamFailureKind,
} from './upstream-error.js';

/** The request to send: everything `fetch` accepts but the signal, which the call owns. */
export type UpstreamRequestInit = Omit<RequestInit, 'signal'>;

/** Options of {@link callUpstream}. */
export interface CallUpstreamOptions {
  /**
   * The upstream's public name. It appears in the caller's description
   * (`The upstream service 'billing' did not answer in time.`): choose a name you can show.
   */
  name: string;
  /** How long the whole call (connect, answer and body) may take, in milliseconds. */
  timeoutMs: number;
  /** The fetch to use (a mock, an undici dispatcher-bound fetch …). @default globalThis.fetch */
  fetch?: typeof fetch;
  /** The caller's signal (a handler deadline, the client going away): aborts the call too. */
  signal?: AbortSignal | undefined;
  /** Method, headers and body of the request. @default a GET */
  init?: UpstreamRequestInit;
  /** The largest response body read, in bytes. @default 10485760 (10 MiB) */
  maxResponseBytes?: number;
}

const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const LOG_SNIPPET_BYTES = 1024;
function isJsonType(contentType: string | null): boolean {
  if (contentType === null) return true; // undeclared: let the parser decide
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

/**
 * Calls an upstream JSON service with `fetch` and returns its parsed 2xx body (undefined
 * for an empty body without a JSON content type, a 204/205, or a HEAD). Every failure is
 * thrown as a contract `ApiError` whose `cause` is an {@link UpstreamError} holding the
 * real failure (for logs); the body never carries the upstream's own message:
 *
 * - no answer within `timeoutMs` → 504, and the in-flight request is aborted;
 * - connection refused, reset or closed mid-answer → 502;
 * - any status outside 2xx → 502. A 4xx too: the upstream's 404 or 409 describes *its*
 *   resources, not the caller's, and a gateway must not pass those semantics on. To map
 *   one (an upstream 404 to your own 404), catch the 502 and read `cause.status`;
 * - a 2xx whose body is not JSON (or declared non-JSON, or invalid UTF-8) → 502;
 * - a body over `maxResponseBytes` → 502.
 *
 * When `options.signal` aborts, the call is aborted and rejects with that signal's reason
 * (under {@link withDeadline} that reason is its 504).
 *
 * @throws ApiError 502 or 504, as above
 * @throws RangeError when `timeoutMs` is not a positive finite number
 * @example
 * const plan = await callUpstream<Plan>(`${BILLING}/plans/${id}`, { name: 'billing', timeoutMs: 2000 });
 */
export async function callUpstream<T = unknown>(
  input: string | URL | Request,
  options: CallUpstreamOptions,
): Promise<T> {
  const { timeoutMs, signal: callerSignal, name } = options;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError('timeoutMs must be a positive finite number of milliseconds.');
  }
  if (callerSignal?.aborted) throw callerSignal.reason;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const method = (
    options.init?.method ?? (input instanceof Request ? input.method : 'GET')
  ).toUpperCase();

  const timeout = new AbortController();
  const timeoutReason = new UpstreamError({ upstream: name, kind: 'timeout' });
  const timer = setTimeout(() => timeout.abort(timeoutReason), timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;

  const fail = (
    kind: UpstreamFailureKind,
    extra: Pick<UpstreamErrorOptions, 'status' | 'body' | 'systemCode'> = {},
    cause?: unknown,
  ) => upstreamApiError(new UpstreamError({ upstream: name, kind, ...extra, cause }));

  // A failure while connecting or reading: our timeout, the caller's abort, or the network.
  const classify = (error: unknown): unknown => {
    if (signal.aborted) {
      if (signal.reason === timeoutReason) return fail('timeout', {}, error);
      return signal.reason;
    }
    if (error instanceof BodyTooLargeError) return fail('body-too-large', {}, error);
    if (systemCodeOf(error) === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      return fail('invalid-body', {}, error); // invalid UTF-8 is garbage too
    }
    return upstreamNetworkError(error, name);
  };

  try {
    let response: Response;
    try {
      response = await fetchImpl(input, { ...options.init, signal });
    } catch (error) {
      throw classify(error);
    }

    if (response.status < 200 || response.status > 299) {
      const body = await readBodyText(response, LOG_SNIPPET_BYTES, true).catch(() => undefined);
      throw fail('error-status', {
        status: response.status,
        ...(body === undefined ? {} : { body }),
      });
    }

    let text: string;
    try {
      text = await readBodyText(response, maxBytes);
    } catch (error) {
      throw classify(error);
    }
    const contentType = response.headers.get('content-type');
    if (
      text === '' &&
      (response.status === 204 ||
        response.status === 205 ||
        method === 'HEAD' ||
        contentType === null)
    ) {
      return undefined as T;
    }
    if (!isJsonType(contentType)) {
      throw fail('invalid-body', { status: response.status });
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw fail('invalid-body', { status: response.status }, error);
    }
  } finally {
    clearTimeout(timer);
  }
}
