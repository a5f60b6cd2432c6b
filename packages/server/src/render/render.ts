/** The framework-agnostic core: any thrown value in, `{ status, headers, body }` out. */

import {
  ERROR_CONTENT_TYPE,
  type ErrorBody,
  formatChallenge,
  type Locale,
  negotiateLocale,
  toDescription,
} from '@apifault/contract';
import {
  type ApifaultOptions,
  type ResolvedOptions,
  resolveOptions,
  silentLogger,
} from '../options.js';
import { LIBRARY_RECOGNIZERS } from '../recognize/library-errors.js';
import {
  echoOrGenerateId,
  type HeadersRecord,
  isHeaderName,
  sanitizeHeaderValue,
} from '../request-ids/index.js';
import { classifyError, type ErrorRecognizer } from './classify.js';
import type { ErrorParts } from './error-parts.js';

/** What the renderer knows about the request being answered. */
export interface RenderContext {
  /** The server's options (resolved once by adapters). @default {} */
  options?: ApifaultOptions | ResolvedOptions;
  /** The request's lower-cased headers: ids and locale come from them when not given below. */
  headers?: HeadersRecord;
  /** The `MS-RequestId` to answer with (already sanitised). */
  requestId?: string;
  /** The `MS-CorrelationId` to answer with (already sanitised). */
  correlationId?: string;
  /** The locale of default descriptions. @default negotiated from `X-Locale` / `Accept-Language` */
  locale?: Locale;
  /** The `Allow` value for a 405 whose error carries none. */
  allow?: string;
  /** The request method and path, for logs. */
  method?: string;
  /** The request path, for logs. */
  path?: string;
  /**
   * How errors other than the contract's own are recognised.
   * @default the shapes HTTP libraries share (`LIBRARY_RECOGNIZERS`)
   */
  recognizers?: readonly ErrorRecognizer[];
}

/** An error response ready to write. */
export interface RenderedError {
  status: number;
  /** Lower-cased header names; values sanitised. */
  headers: Record<string, string>;
  /** The contract body. */
  body: ErrorBody;
  /** `body` serialised once, to write as is. */
  json: string;
}

// Headers the renderer owns: an error's own headers never override them.
const RESERVED = new Set([
  'content-type',
  'content-length',
  'transfer-encoding',
  'x-content-type-options',
  'ms-requestid',
  'ms-correlationid',
]);

function first(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' || value === undefined ? value : value[0];
}

/** The locale of a request, from its `X-Locale` / `Accept-Language` headers. */
export function localeOf(headers: HeadersRecord | undefined): Locale {
  if (!headers) return 'en-US';
  const xLocale = first(headers['x-locale']);
  const acceptLanguage = first(headers['accept-language']);
  if (xLocale === undefined && acceptLanguage === undefined) return 'en-US';
  return negotiateLocale({ xLocale, acceptLanguage });
}

// Bodies with the default description are the hot path (404, 405, 500): serialise once.
type CachedBody = { body: ErrorBody; json: string };
// The usual case, keyed status → source → locale so a lookup builds no key string; the
// entry is used when its code is the one asked for (a code other than the status goes to
// the general cache below).
const byStatus = new Map<number, Map<string, Partial<Record<Locale, CachedBody>>>>();
const defaultBodies = new Map<string, CachedBody>();
const MAX_CACHED = 2048;
let fastCount = 0;

function defaultBody(status: number, code: string, locale: Locale, source: string): CachedBody {
  let bySource = byStatus.get(status);
  let byLocale = bySource?.get(source);
  const fast = byLocale?.[locale];
  if (fast !== undefined && fast.body.code === code) return fast;
  const key = `${status}\u0000${code}\u0000${locale}\u0000${source}`;
  let entry = defaultBodies.get(key);
  if (!entry) {
    const body: ErrorBody = Object.freeze({
      code,
      description: toDescription(undefined, { status, locale }),
      source,
    });
    entry = { body, json: JSON.stringify(body) };
    if (defaultBodies.size < MAX_CACHED) defaultBodies.set(key, entry);
  }
  if (fast === undefined && fastCount < MAX_CACHED) {
    if (!bySource) {
      bySource = new Map();
      byStatus.set(status, bySource);
    }
    if (!byLocale) {
      byLocale = {};
      bySource.set(source, byLocale);
    }
    byLocale[locale] = entry;
    fastCount++;
  }
  return entry;
}

function serialize(
  body: ErrorBody,
  options: ResolvedOptions,
  ids: { requestId: string; correlationId: string },
): string {
  try {
    return JSON.stringify(body);
  } catch (err) {
    // `data` the application gave could not be serialised (cycle, BigInt): drop it.
    options.logger.warn({ err, ...ids }, 'apifault: error data is not serialisable; dropped');
    delete body.data;
    return JSON.stringify(body);
  }
}

/**
 * Renders error parts (see {@link renderError}); adapters call it directly for errors they
 * raise themselves (404, 405) so no `Error` is allocated on those paths.
 */
export function renderParts(parts: ErrorParts, context: RenderContext = {}): RenderedError {
  const options = resolveOptions(context.options);
  const headersIn = context.headers;
  const requestId = context.requestId ?? echoOrGenerateId(headersIn?.['ms-requestid']);
  const correlationId = context.correlationId ?? echoOrGenerateId(headersIn?.['ms-correlationid']);
  const status = parts.status;
  const source = parts.source === undefined ? options.source : sanitizeSource(parts.source);
  const exposed =
    parts.expose || (status >= 500 && options.exposeServerErrors && parts.known)
      ? parts.description
      : undefined;
  const data = parts.expose && parts.data !== undefined ? parts.data : undefined;

  let body: ErrorBody;
  let json: string;
  if ((exposed === undefined || exposed.trim() === '') && data === undefined) {
    const locale = context.locale ?? localeOf(headersIn);
    ({ body, json } = defaultBody(status, parts.code, locale, source));
  } else {
    const locale =
      exposed === undefined || exposed.trim() === ''
        ? (context.locale ?? localeOf(headersIn))
        : 'en-US';
    body = { code: parts.code, description: toDescription(exposed, { status, locale }), source };
    if (data !== undefined) body.data = data as unknown[];
    json = serialize(body, options, { requestId, correlationId });
  }

  const headers: Record<string, string> = {
    'content-type': ERROR_CONTENT_TYPE,
    'x-content-type-options': 'nosniff',
    'ms-requestid': requestId,
    'ms-correlationid': correlationId,
  };
  if (options.cacheControl !== undefined) headers['cache-control'] = options.cacheControl;
  copyOwnHeaders(parts.headers, headers, options, requestId);
  // The statuses whose required header the thrower may have forgotten.
  if (status === 401 && !headers['www-authenticate']) {
    headers['www-authenticate'] = formatChallenge(options.realm);
  } else if (status === 405 && headers['allow'] === undefined) {
    headers['allow'] = context.allow ?? '';
  } else if (status === 429 && !headers['retry-after']) {
    headers['retry-after'] = options.defaultRetryAfter;
  }
  return { status, headers, body, json };
}

/**
 * Copies an error's own headers onto the response's. The error may be anything a handler
 * threw, so reading it may throw (a getter, a Proxy, a value with no string form): what
 * cannot be read is dropped and logged, and rendering goes on.
 */
function copyOwnHeaders(
  own: Readonly<Record<string, unknown>> | undefined,
  headers: Record<string, string>,
  options: ResolvedOptions,
  requestId: string,
): void {
  if (own === undefined) return;
  let names: string[];
  try {
    names = Object.keys(own);
  } catch (err) {
    options.logger.warn({ err, requestId }, 'apifault: error headers unreadable; dropped');
    return;
  }
  for (const name of names) {
    const lower = name.toLowerCase();
    if (RESERVED.has(lower) || !isHeaderName(lower)) continue;
    try {
      const value = own[name];
      if (value === undefined || value === null) continue;
      headers[lower] = sanitizeHeaderValue(Array.isArray(value) ? value.join(', ') : value);
    } catch (err) {
      delete headers[lower];
      options.logger.warn(
        { err, requestId, header: lower },
        'apifault: an error header could not be read; dropped',
      );
    }
  }
}

function sanitizeSource(source: string): string {
  const text = source.length > 256 ? source.slice(0, 256) : source;
  return text.trim() === '' ? 'apifault' : text;
}

/**
 * Turns ANY thrown value into the contract response `{ status, headers, body }` (+ `json`,
 * the body serialised once). Unexpected errors become a 500 with the generic localized
 * description; they and every 5xx are logged with the request ids, never put in the body.
 *
 * @example const { status, headers, json } = renderError(err, { headers: req.headers, options })
 */
export function renderError(error: unknown, context: RenderContext = {}): RenderedError {
  const parts = classifyError(error, context.recognizers ?? LIBRARY_RECOGNIZERS, {
    contentType: first(context.headers?.['content-type']),
  });
  const rendered = renderParts(parts, context);
  if (parts.status >= 500 || !parts.known) {
    const options = resolveOptions(context.options);
    // The default logger drops everything: build no record for it.
    if (options.logger === silentLogger) return rendered;
    options.logger.error(
      {
        err: error,
        status: rendered.status,
        requestId: rendered.headers['ms-requestid'],
        correlationId: rendered.headers['ms-correlationid'],
        method: context.method,
        path: context.path,
      },
      parts.known ? 'apifault: server error' : 'apifault: unexpected error',
    );
  }
  return rendered;
}
