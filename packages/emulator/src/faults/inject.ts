/** Turns a fired fault rule or a forced status into what the client sees: an error, a wait, a hang or a reset. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ApiError,
  DEFAULT_REALM,
  methodNotAllowed,
  serviceUnavailable,
  tooManyRequests,
  unauthorized,
} from '@apifault/contract';
import { CODES } from '../codes.js';
import { SOURCE_FRONT_DOOR } from '../errors.js';
import type { FaultRule } from './rules.js';

/** The header that forces one status on one request. */
export const FORCE_STATUS_HEADER = 'x-apifault-force-status';

/** The code the catalog gives an injected status, where it has one. */
function codeFor(status: number): string {
  if (status === 500) return CODES.unexpected.code;
  if (status === 501) return CODES.notImplemented.code;
  return String(status);
}

/** The contract error of an injected status, with the headers that status requires. */
export function injectedError(
  status: number,
  why: string,
  realm: string = DEFAULT_REALM,
): ApiError {
  const base = {
    code: codeFor(status),
    description: `${why} (injected by apifault).`,
    source: SOURCE_FRONT_DOOR,
    expose: true,
  };
  switch (status) {
    case 401:
      return unauthorized({ ...base, realm });
    case 405:
      return methodNotAllowed({ ...base, allow: ['GET'] });
    case 429:
      return tooManyRequests({ ...base, retryAfter: 1 });
    case 503:
      return serviceUnavailable({ ...base, retryAfter: 1 });
    default:
      return new ApiError({ ...base, status });
  }
}

/** Reads `X-Apifault-Force-Status`: a 4xx/5xx status, or undefined (anything else is ignored). */
export function forcedStatus(req: IncomingMessage): number | undefined {
  const raw = req.headers[FORCE_STATUS_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\s*[45]\d\d\s*$/.test(value)) return undefined;
  return Number(value);
}

/** How a fired rule ends: answered with an error, left hanging or dropped, or let through after a delay. */
export type FaultOutcome =
  | { kind: 'error'; error: ApiError }
  | { kind: 'handled' }
  | { kind: 'continue' };

/** Plays a fired rule on this request; `hung` collects responses left open, so close() can end them. */
export async function playFault(
  rule: FaultRule,
  req: IncomingMessage,
  res: ServerResponse,
  hung: Set<ServerResponse>,
  realm: string,
): Promise<FaultOutcome> {
  if (rule.delayMs > 0) await sleep(rule.delayMs);
  const label = `${rule.method} ${rule.path}`;
  switch (rule.action.type) {
    case 'status':
      return {
        kind: 'error',
        error: injectedError(rule.action.status, `Fault rule ${label}`, realm),
      };
    case 'hang':
      hung.add(res);
      res.once('close', () => hung.delete(res));
      return { kind: 'handled' };
    case 'drop':
      req.socket.destroy();
      return { kind: 'handled' };
    default:
      return { kind: 'continue' };
  }
}
