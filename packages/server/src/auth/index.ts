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
  let principal: unknown;
  try {
    principal = await options.verify(parsed.token, request);
  } catch (error) {
    if (isApiError(error)) throw error;
    // A verifier that throws (bad signature, expired) rejects the token; the cause is kept.
    throw new ApiError({
      ...fieldsOf(challenge(options, realm, 'invalid_token', 'The bearer token is not valid.')),
      cause: error,
    });
  }
  if (principal === undefined || principal === null || principal === false) {
    throw challenge(options, realm, 'invalid_token', 'The bearer token is not valid.');
  }
  if (options.authorize && !(await options.authorize(principal, request))) {
    throw forbidden();
  }
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
