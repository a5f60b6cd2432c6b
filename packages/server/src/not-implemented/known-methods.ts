/** 501 for request methods the service does not implement at all (RFC 9110 §9.1). */

import { type ApiError, notImplemented } from '@apifault/contract';

/**
 * The methods this server recognizes: RFC 9110's eight plus PATCH (RFC 5789). A method
 * outside this list (`BREW`, `PROPFIND`, `get` — methods are case-sensitive) is one the
 * service does not implement for any resource: 501, where a known method that a route
 * lacks is 405.
 */
export const KNOWN_METHODS: readonly string[] = Object.freeze([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);

/**
 * Whether `method` is one the server recognizes (case-sensitive, as RFC 9110 says).
 *
 * @param known the recognized methods. @default KNOWN_METHODS
 */
export function isKnownMethod(method: string, known: readonly string[] = KNOWN_METHODS): boolean {
  return known.includes(method);
}

/**
 * Throws 501 ({@link unknownMethodError}) when `method` is not one the server recognizes.
 *
 * @param known the recognized methods. @default KNOWN_METHODS
 * @throws ApiError 501
 */
export function assertKnownMethod(method: string, known: readonly string[] = KNOWN_METHODS): void {
  if (!isKnownMethod(method, known)) throw unknownMethodError(method);
}

/**
 * Whether a node:http `clientError` is the parser refusing a method it has never heard of
 * (`BREW`): node:http rejects those before any handler runs, so an adapter's `clientError`
 * listener answers them with {@link unknownMethodError} instead of the default 400.
 */
export function isUnknownMethodParseError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'HPE_INVALID_METHOD'
  );
}

/**
 * The 501 for a method the service does not implement; the description names the method
 * only when it is a short plain token (never echoes control characters or long input).
 *
 * @param method the method, when known (a parser error does not give it)
 */
export function unknownMethodError(method?: string): ApiError {
  const shown =
    method !== undefined && /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,32}$/.test(method) ? ` ${method}` : '';
  return notImplemented({
    description: `The method${shown} is not implemented by this service.`,
  });
}
