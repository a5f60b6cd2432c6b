/** 501 for request methods the service does not implement at all (RFC 9110 §9.1). */

import { type ApiError, notImplemented } from '@apifault/contract';

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
