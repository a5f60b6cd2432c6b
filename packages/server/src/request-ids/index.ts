/** MS-RequestId / MS-CorrelationId: echoed when sane, generated otherwise; header values sanitised. */

/** A request's headers as Node gives them: lower-case names. */
export type HeadersRecord = Record<string, string | string[] | undefined>;

/** The two ids every response carries. */
export interface RequestIds {
  /** `MS-RequestId`: one per logical request, kept by the client across retries. */
  requestId: string;
  /** `MS-CorrelationId`: ties calls together for support. */
  correlationId: string;
}

/** The longest id echoed back; longer ones are replaced. */
export const MAX_ID_LENGTH = 128;

// Ids are GUIDs in practice; allow a conservative token alphabet and nothing that could
// split a header or smuggle markup.
const SANE_ID = /^[A-Za-z0-9._~:+=@/-]+$/;

/** Whether `value` may be echoed as an id: 1–128 characters of a conservative token alphabet. */
export function isSaneId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_ID_LENGTH &&
    SANE_ID.test(value)
  );
}

/** A new random id (a UUID v4, from the Web Crypto API available on every runtime). */
export function generateId(): string {
  return globalThis.crypto.randomUUID();
}

function first(value: string | string[] | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : value[0];
}

/**
 * The id to answer with: the caller's when sane, else a new one.
 *
 * @example echoOrGenerateId('abc\r\nSet-Cookie: x') // a fresh UUID
 */
export function echoOrGenerateId(value: string | string[] | null | undefined): string {
  const id = first(value);
  return isSaneId(id) ? id : generateId();
}

/**
 * Reads `ms-requestid` and `ms-correlationid` from lower-cased request headers, echoing
 * the sane ones and generating the rest.
 */
export function resolveRequestIds(headers: HeadersRecord): RequestIds {
  return {
    requestId: echoOrGenerateId(headers['ms-requestid']),
    correlationId: echoOrGenerateId(headers['ms-correlationid']),
  };
}

/** The longest header value apifault writes from caller- or application-given text. */
export const MAX_HEADER_VALUE_LENGTH = 8192;

// Field names are RFC 9110 tokens.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// CR, LF, NUL and the other controls except horizontal tab cannot appear in a field value.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const CONTROL_GLOBAL = /[\u0000-\u0008\u000a-\u001f\u007f]+/g;
// Node refuses characters above U+00FF in header values.
const WIDE = /[^\u0000-\u00ff]/;
const WIDE_GLOBAL = /[^\u0000-\u00ff]+/g;

/** Whether `name` is a valid header field name. */
export function isHeaderName(name: string): boolean {
  return name.length > 0 && name.length <= 256 && TOKEN.test(name);
}

/**
 * Makes `value` safe as a header value: control characters (CR and LF included) become a
 * space, non-Latin-1 characters are dropped, and the result is at most 8192 characters.
 *
 * @example sanitizeHeaderValue('a\r\nSet-Cookie: b') // 'a Set-Cookie: b'
 */
export function sanitizeHeaderValue(value: unknown): string {
  let text = typeof value === 'string' ? value : String(value);
  if (text.length > MAX_HEADER_VALUE_LENGTH) text = text.slice(0, MAX_HEADER_VALUE_LENGTH);
  if (CONTROL.test(text)) text = text.replace(CONTROL_GLOBAL, ' ');
  // Dropped rather than let the framework throw on them.
  if (WIDE.test(text)) text = text.replace(WIDE_GLOBAL, '');
  return text.trim();
}
