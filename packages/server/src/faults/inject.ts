/** Turns a fired fault rule or a forced status into what the client sees: an error, a wait, a hang or a reset. */

import {
  ApiError,
  DEFAULT_REALM,
  methodNotAllowed,
  serviceUnavailable,
  tooManyRequests,
  unauthorized,
} from '@apifault/contract';
import type { Exchange } from '../pipeline/exchange.js';
import { STOP } from '../pipeline/stages.js';
import type { HeadersRecord } from '../request-ids/index.js';
import type { FaultRule } from './rules.js';

/** The header that forces one status on one request. */
export const FORCE_STATUS_HEADER = 'x-apifault-force-status';

/** The `source` of an injected error: Partner Center's front door. */
const INJECTED_SOURCE = 'PartnerFD';

/** The code Partner Center gives a status, where its catalog has one (an unexpected error, an undefined exception). */
function codeFor(status: number): string {
  if (status === 500) return '800003';
  if (status === 501) return '0';
  return String(status);
}

/** The contract error of an injected status, with the headers that status requires. */
export function injectedError(
  status: number,
  why: string,
  realm: string = DEFAULT_REALM,
  retryAfter = 1,
): ApiError {
  const base = {
    code: codeFor(status),
    description: `${why} (injected by apifault).`,
    source: INJECTED_SOURCE,
    expose: true,
  };
  switch (status) {
    case 401:
      return unauthorized({ ...base, realm });
    case 405:
      return methodNotAllowed({ ...base, allow: ['GET'] });
    case 429:
      return tooManyRequests({ ...base, retryAfter });
    case 503:
      return serviceUnavailable({ ...base, retryAfter });
    default:
      return new ApiError({ ...base, status });
  }
}

/** Reads `X-Apifault-Force-Status`: a 4xx/5xx status, or undefined (anything else is ignored). */
export function forcedStatus(headers: HeadersRecord): number | undefined {
  const raw = headers[FORCE_STATUS_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\s*[45]\d\d\s*$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Plays the action of a fired rule (after its delay) on this request: throws the injected
 * error of a status; for a hang or a drop, returns the pipeline's STOP, the request left
 * open (kept in `hung`, so close() can end it) or its connection cut; for a delay, returns
 * nothing and the request is served.
 */
export function playFault(
  rule: FaultRule,
  exchange: Exchange,
  hung: Set<Exchange>,
  realm: string,
): typeof STOP | undefined {
  switch (rule.action.type) {
    case 'status':
      throw injectedError(
        rule.action.status,
        `Fault rule ${rule.method} ${rule.path}`,
        realm,
        rule.retryAfter,
      );
    case 'hang':
      hung.add(exchange);
      exchange.onClose(() => hung.delete(exchange));
      return STOP;
    case 'drop':
      exchange.destroy();
      return STOP;
    default:
      return undefined;
  }
}
