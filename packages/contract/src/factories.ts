/** One factory per status, each setting the headers the contract requires. */

import { ApiError, type ApiErrorOptions } from './api-error.js';
import { formatRetryAfter } from './retry-after.js';

/** What every factory accepts: a description, or the error's fields but its status. */
export type FactoryInput = string | Omit<ApiErrorOptions, 'status'>;

function make(
  status: number,
  input: FactoryInput | undefined,
  headers?: Record<string, string>,
): ApiError {
  const options = typeof input === 'string' ? { description: input } : (input ?? {});
  return new ApiError({
    ...options,
    status,
    headers: headers ? { ...options.headers, ...headers } : (options.headers ?? {}),
  });
}

/** The realm Partner Center documents when none is configured. */
export const DEFAULT_REALM = 'urn:cpsvc:cpid:apifault';

/** Options of {@link unauthorized}. */
export type UnauthorizedInput = Omit<ApiErrorOptions, 'status'> & {
  /** The challenge realm. @default 'urn:cpsvc:cpid:apifault' */
  realm?: string | undefined;
  /** RFC 6750 error code (`invalid_token`, `invalid_request` …), added to the challenge when set. */
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | undefined;
  /** RFC 6750 `error_description`, added with `error`. */
  errorDescription?: string | undefined;
};

function quoteParam(value: string): string {
  // Challenge parameters are quoted-strings: keep printable ASCII, escape quotes.
  return `"${value.replace(/[^\x20-\x7e]/g, '').replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * Builds the `WWW-Authenticate` value: `OAuth realm=urn:cpsvc:cpid:{cid}` exactly as
 * documented, plus RFC 6750 `error` parameters when given.
 */
export function formatChallenge(realm: string, error?: string, errorDescription?: string): string {
  let value = `OAuth realm=${realm.replace(/[\r\n]/g, '')}`;
  if (error) value += `, error=${quoteParam(error)}`;
  if (error && errorDescription) value += `, error_description=${quoteParam(errorDescription)}`;
  return value;
}

/** Formats a list of methods as an `Allow` value: upper-cased, unique, HEAD implied by GET. */
export function formatAllow(methods: Iterable<string>): string {
  const set = new Set<string>();
  for (const method of methods) set.add(method.toUpperCase());
  if (set.has('GET')) set.add('HEAD');
  return [...set].sort().join(', ');
}

/** 400: the request is malformed or invalid; put per-field problems in `data`. */
export function badRequest(input?: FactoryInput): ApiError {
  return make(400, input);
}

/** 401 with `WWW-Authenticate: OAuth realm=…`. */
export function unauthorized(input: string | UnauthorizedInput = {}): ApiError {
  const options: UnauthorizedInput = typeof input === 'string' ? { description: input } : input;
  const { realm = DEFAULT_REALM, error, errorDescription, ...rest } = options;
  return make(401, rest, {
    'WWW-Authenticate': formatChallenge(realm, error, errorDescription),
  });
}

/** 403: authenticated, but not allowed. */
export function forbidden(input?: FactoryInput): ApiError {
  return make(403, input);
}

/** 404: no such resource or route. */
export function notFound(input?: FactoryInput): ApiError {
  return make(404, input);
}

/** Options of {@link methodNotAllowed}. */
export type MethodNotAllowedInput = Omit<ApiErrorOptions, 'status'> & {
  /** The methods the resource supports. */
  allow: Iterable<string>;
};

/** 405 with `Allow` listing the methods the resource supports. */
export function methodNotAllowed(input: MethodNotAllowedInput): ApiError {
  const { allow, ...rest } = input;
  return make(405, rest, { Allow: formatAllow(allow) });
}

/** 406: the `Accept` header excludes every representation the API offers. */
export function notAcceptable(input?: FactoryInput): ApiError {
  return make(406, input);
}

/** 408: the request was not received in time. Sent with `Connection: close`. */
export function requestTimeout(input?: FactoryInput): ApiError {
  return make(408, input, { Connection: 'close' });
}

/** 409: the request conflicts with the resource's state; put the conflicting resource in `data`. */
export function conflict(input?: FactoryInput): ApiError {
  return make(409, input);
}

/** 412: a precondition (`If-Match`, `If-None-Match`, `If-Unmodified-Since`) failed. */
export function preconditionFailed(input?: FactoryInput): ApiError {
  return make(412, input);
}

/** Options of {@link tooManyRequests} and {@link serviceUnavailable}. */
export type RetryAfterInput = Omit<ApiErrorOptions, 'status'> & {
  /** Seconds to wait (rounded up, at least 1) or the Date when the wait ends. */
  retryAfter?: number | Date | undefined;
};

function withRetryAfter(
  status: number,
  input: string | RetryAfterInput | undefined,
  fallback?: number,
): ApiError {
  const options: RetryAfterInput =
    typeof input === 'string' ? { description: input } : (input ?? {});
  const { retryAfter = fallback, ...rest } = options;
  return make(
    status,
    rest,
    retryAfter === undefined ? undefined : { 'Retry-After': formatRetryAfter(retryAfter) },
  );
}

/**
 * 429 with `Retry-After` in whole seconds (at least 1). The contract requires the header
 * on every 429, so a caller that omits `retryAfter` (from JavaScript) gets 1 second.
 */
export function tooManyRequests(input: RetryAfterInput & { retryAfter: number | Date }): ApiError {
  return withRetryAfter(429, input, 1);
}

/** 500: anything unexpected. The description is not shown unless `expose` is set. */
export function internalServerError(input?: FactoryInput): ApiError {
  return make(500, input);
}

/** 501: the operation or method is not implemented. Shown to the caller by default. */
export function notImplemented(input?: FactoryInput): ApiError {
  const options = typeof input === 'string' ? { description: input } : (input ?? {});
  return make(501, { ...options, expose: options.expose ?? true });
}

/** 502: an upstream service answered garbage, reset the connection or failed. */
export function badGateway(input?: FactoryInput): ApiError {
  return make(502, input);
}

/** 503 with `Retry-After` when the wait is known: maintenance, load shedding. */
export function serviceUnavailable(input?: string | RetryAfterInput): ApiError {
  return withRetryAfter(503, input);
}

/** 504: an upstream call or the handler's deadline passed. */
export function gatewayTimeout(input?: FactoryInput): ApiError {
  return make(504, input);
}
