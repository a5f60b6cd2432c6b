/** 401/403: bearer-token authentication through an application verifier, then authorization. */

import { ApiError, forbidden, isApiError, unauthorized } from '@apifault/contract';
import type { AuthOptions, RequestInfo } from './types.js';

export type { AuthOptions, RequestInfo } from './types.js';

// RFC 6750 §2.1: `Bearer` (any case), one or more spaces, a token68.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** What {@link parseBearer} found in an `Authorization` header. */
export type BearerParse =
  | { kind: 'missing' }
  | { kind: 'malformed' }
  | { kind: 'token'; token: string };

/** Reads a bearer token from an `Authorization` header value. */
export function parseBearer(header: string | string[] | undefined): BearerParse {
  if (header === undefined) return { kind: 'missing' };
  if (Array.isArray(header))
    return header.length === 0 ? { kind: 'missing' } : { kind: 'malformed' };
  if (header.trim() === '') return { kind: 'missing' };
  if (header.length > 16_384) return { kind: 'malformed' };
  const match = BEARER.exec(header);
  return match ? { kind: 'token', token: match[1]! } : { kind: 'malformed' };
}

function challenge(
  options: AuthOptions,
  realm: string,
  error?: 'invalid_request' | 'invalid_token',
  detail?: string,
): ApiError {
  const withDetail = options.errorDetail !== false && error !== undefined;
  return unauthorized({
    realm: options.realm ?? realm,
    ...(withDetail ? { error } : {}),
    ...(withDetail && detail ? { errorDescription: detail } : {}),
    ...(detail ? { description: detail } : {}),
  });
}

/**
 * Authenticates `request` with its bearer token and authorizes it; returns the principal,
 * or throws the contract's 401 (missing, malformed or rejected token, with
 * `WWW-Authenticate: OAuth realm=…`) or 403 (authorization refused).
 *
 * @param realm the challenge realm when `options.realm` is not set
 */
export async function authenticate(
  options: AuthOptions,
  request: RequestInfo,
  realm: string,
): Promise<unknown> {
  return checkAuth(options, request, realm);
}

/**
 * {@link authenticate}, answered in the same tick when the verifier and the authorization
 * hook answer synchronously: the pipeline's auth stage, which must not turn a synchronous
 * request into an asynchronous one. Throws (or rejects with) the same 401/403.
 */
export function checkAuth(
  options: AuthOptions,
  request: RequestInfo,
  realm: string,
): unknown | Promise<unknown> {
  if (options.skip?.(request)) return undefined;
  const parsed = parseBearer(request.headers['authorization']);
  if (parsed.kind === 'missing') throw challenge(options, realm);
  if (parsed.kind === 'malformed') {
    throw challenge(
      options,
      realm,
      'invalid_request',
      'The Authorization header must be "Bearer <token>".',
    );
  }
  let verified: unknown;
  try {
    verified = options.verify(parsed.token, request);
  } catch (error) {
    throw rejected(options, realm, error);
  }
  if (verified instanceof Promise) {
    return verified.then(
      (principal) => admitPrincipal(options, request, realm, principal),
      (error: unknown) => {
        throw rejected(options, realm, error);
      },
    );
  }
  return admitPrincipal(options, request, realm, verified);
}

/** The 401 of a verifier that threw: its own ApiError, else the rejected token (cause kept). */
function rejected(options: AuthOptions, realm: string, error: unknown): ApiError {
  if (isApiError(error)) return error;
  return new ApiError({
    ...fieldsOf(challenge(options, realm, 'invalid_token', 'The bearer token is not valid.')),
    cause: error,
  });
}

function admitPrincipal(
  options: AuthOptions,
  request: RequestInfo,
  realm: string,
  principal: unknown,
): unknown | Promise<unknown> {
  if (principal === undefined || principal === null || principal === false) {
    throw challenge(options, realm, 'invalid_token', 'The bearer token is not valid.');
  }
  if (!options.authorize) return principal;
  const allowed = options.authorize(principal, request);
  if (allowed instanceof Promise) {
    return allowed.then((ok) => {
      if (!ok) throw forbidden();
      return principal;
    });
  }
  if (!allowed) throw forbidden();
  return principal;
}

function fieldsOf(error: ApiError) {
  return {
    status: error.status,
    code: error.code,
    ...(error.description === undefined ? {} : { description: error.description }),
    headers: { ...error.headers },
  };
}
