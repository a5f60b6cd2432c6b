/** 502/504: what the proxy answers when the upstream cannot be reached, is too slow, or cuts the connection. */

import { type ApiError, badGateway, gatewayTimeout } from '@apifault/contract';
import { UpstreamError, type UpstreamFailureKind } from '@apifault/server';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

const DESCRIPTIONS: Partial<Record<UpstreamFailureKind, string>> = {
  timeout: 'did not answer in time',
  unreachable: 'could not be reached',
  'connection-lost': 'closed the connection before answering',
};

function codeOf(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The contract error for a failed upstream call: 504 when it did not answer within the
 * timeout, 502 when it could not be reached or closed the connection. The description names
 * the upstream's host only; the real failure is kept as `cause` (an `UpstreamError`) for logs.
 */
export function upstreamFailure(error: unknown, upstreamHost: string): ApiError {
  const systemCode = codeOf(error);
  const kind: UpstreamFailureKind =
    systemCode !== undefined && TIMEOUT.has(systemCode)
      ? 'timeout'
      : systemCode !== undefined && UNREACHABLE.has(systemCode)
        ? 'unreachable'
        : 'connection-lost';
  const cause = new UpstreamError({
    upstream: upstreamHost,
    kind,
    ...(systemCode === undefined ? {} : { systemCode }),
    cause: error,
  });
  const description = `The upstream service '${upstreamHost}' ${DESCRIPTIONS[kind]}.`;
  const make = kind === 'timeout' ? gatewayTimeout : badGateway;
  return make({ description, expose: true, cause, source: 'apifault-proxy' });
}
