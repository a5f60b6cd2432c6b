/** The steps every adapter runs in the same order, runtime-neutral (no `node:` imports). */

import { notAcceptable } from '@apifault/contract';
import { authenticate } from '../auth/index.js';
import { acceptsJson } from '../negotiate/index.js';
import type { ResolvedOptions } from '../options.js';
import { type ErrorParts, statusParts } from '../render/index.js';
import type { HeadersRecord } from '../request-ids/index.js';
import { isStandardMethod, type RouteMatch } from '../routing/index.js';

/**
 * Admission, after the 501 check and before routing: 406 when `Accept` excludes JSON,
 * then bearer authentication and authorization (401/403) when configured. Returns
 * `undefined` synchronously when there is nothing asynchronous to do, else the principal.
 * The path is asked of `pathOf(request)` only when authentication needs it: without auth,
 * admission allocates nothing.
 */
export function admit<R>(
  options: ResolvedOptions,
  method: string,
  headers: HeadersRecord,
  request: R,
  pathOf: (request: R) => string,
): Promise<unknown> | undefined {
  if (options.checkAccept && !acceptsJson(headers['accept'])) throw notAcceptable();
  if (options.auth) {
    return authenticate(options.auth, { method, path: pathOf(request), headers }, options.realm);
  }
  return undefined;
}

/** The 501 of a method HTTP does not define, or `undefined` when the method is standard. */
export function unknownMethodParts(method: string): ErrorParts | undefined {
  if (isStandardMethod(method)) return undefined;
  return statusParts(
    501,
    undefined,
    `The method ${method.replace(/[^A-Za-z0-9!#$%&'*+.^_`|~-]/g, '').slice(0, 32)} is not implemented by this service.`,
  );
}

const NOT_FOUND = statusParts(404);

/** The 404 or 405 (with `Allow`) of a route miss. */
export function missParts(miss: Exclude<RouteMatch<unknown>, { kind: 'found' }>): ErrorParts {
  return miss.kind === 'not-found' ? NOT_FOUND : statusParts(405, { Allow: miss.allow });
}

/** The 404 or 405 of a path given the methods registered for it (empty: 404). */
export function missPartsFromAllow(allow: string[]): ErrorParts {
  return allow.length === 0 ? NOT_FOUND : statusParts(405, { Allow: allow.join(', ') });
}
