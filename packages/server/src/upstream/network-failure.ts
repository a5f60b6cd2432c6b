/**
 * What a failed upstream request means for the caller: a network failure sorted into a
 * timeout (504), an unreachable upstream or a broken connection (502), and the contract
 * error that says so. Shared by `callUpstream` and by anything that forwards requests
 * itself (the proxy), so both sort the same failure the same way.
 */

import { type ApiError, badGateway, gatewayTimeout } from '@apifault/contract';
import { UpstreamError, type UpstreamFailureKind } from './upstream-error.js';

/** System codes of a connection that could not be made. */
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** undici's codes of an upstream that connected but did not answer, or stopped answering, in time. */
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

const DESCRIPTIONS: Record<UpstreamFailureKind, string> = {
  timeout: 'did not answer in time',
  unreachable: 'could not be reached',
  'connection-lost': 'closed the connection before answering',
  'error-status': 'answered with an error',
  'invalid-body': 'answered with a response that could not be read',
  'body-too-large': 'answered with a response that is too large',
};

/** The first string `code` on `error` or its chain of causes (fetch wraps the socket's error). */
export function systemCodeOf(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function publicName(name: string): string {
  // The name goes into a description: keep it printable and short.
  return name.replace(/[^\x20-\x7e]/g, '').slice(0, 64) || 'upstream';
}

/**
 * The 502 or 504 the caller gets for `upstream`'s failure: 504 for a timeout, 502 otherwise.
 * The description names the upstream and the kind of failure only; the upstream's own
 * words stay in `cause`, for the logger.
 */
export function upstreamApiError(upstream: UpstreamError, source?: string): ApiError {
  const description = `The upstream service '${publicName(upstream.upstream)}' ${DESCRIPTIONS[upstream.kind]}.`;
  const make = upstream.kind === 'timeout' ? gatewayTimeout : badGateway;
  return make({
    description,
    expose: true,
    cause: upstream,
    ...(source === undefined ? {} : { source }),
  });
}

/**
 * The contract error for a request to the upstream `name` that failed on the network
 * (`error` as fetch or undici threw it): 504 when undici's headers or body timeout ran
 * out, 502 when no connection could be made or the connection broke.
 *
 * @param source the `source` of the error body. @default the server's
 * @example
 * try { answer = await pool.request(options); }
 * catch (error) { throw upstreamNetworkError(error, 'billing'); }
 */
export function upstreamNetworkError(error: unknown, name: string, source?: string): ApiError {
  const systemCode = systemCodeOf(error);
  const kind: UpstreamFailureKind =
    systemCode === undefined
      ? 'connection-lost'
      : TIMEOUTS.has(systemCode)
        ? 'timeout'
        : CONNECT_FAILURES.has(systemCode)
          ? 'unreachable'
          : 'connection-lost';
  return upstreamApiError(
    new UpstreamError({
      upstream: name,
      kind,
      ...(systemCode === undefined ? {} : { systemCode }),
      cause: error,
    }),
    source,
  );
}
