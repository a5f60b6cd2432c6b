/** What every client error records about the request that failed, with secrets removed. */

/** The request an error belongs to. Header names are lower-case; secrets are redacted. */
export interface FailedRequest {
  /** The HTTP method. */
  readonly method: string;
  /** The full URL, query included. */
  readonly url: string;
  /** The `MS-RequestId` sent: the same on every attempt of this request. */
  readonly requestId: string;
  /** The `MS-CorrelationId` sent. */
  readonly correlationId: string;
  /** The headers of the last attempt, `Authorization` redacted. */
  readonly headers: Readonly<Record<string, string>>;
  /** How many attempts were made, retries and the credential refresh included. */
  readonly attempts: number;
}

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** The text that replaces a secret header's value. */
export const REDACTED = '[redacted]';

/**
 * Copies headers into a plain object with lower-case names, replacing the value of
 * `Authorization` (and the other credential headers) so logs never hold a token.
 */
export function redactHeaders(
  headers: Headers | Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    out[key] = SECRET_HEADERS.has(key) ? REDACTED : value;
  }
  return out;
}
