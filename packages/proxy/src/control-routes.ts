/**
 * The emulator's fault control routes, on the proxy: `GET`, `PUT` and `DELETE /_emulator/faults`
 * with the same JSON. Only a request addressed to a loopback name is served (a page on another
 * site cannot reach them through DNS rebinding).
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, forbidden } from '@apifault/contract';
import { type ResolvedOptions, readJsonBody, sendError } from '@apifault/server';
import {
  describeRule,
  type FaultEngine,
  FaultRuleError,
  parseFaultRules,
} from '@apifault/server/faults';

/** The path of the fault rules. */
export const FAULTS_PATH = '/_emulator/faults';

/** Handles one control request. */
export type ControlHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  errors: ResolvedOptions,
) => Promise<void>;

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|localhost|\[::1\])(?::\d+)?$/i;

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = value === undefined ? '' : JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** The handler of a control route, or undefined when `path` is not one (the request is forwarded). */
export function controlRoute(
  method: string,
  path: string,
  faults: FaultEngine,
  seed: number | undefined,
): ControlHandler | undefined {
  if (path !== FAULTS_PATH) return undefined;
  const describe = () => ({
    seed: seed ?? null,
    rules: faults.list().map(({ rule, calls, fired }) => ({ ...describeRule(rule), calls, fired })),
  });
  return async (req, res, errors) => {
    try {
      if (!LOOPBACK.test(req.headers.host ?? '')) {
        throw forbidden({
          description: 'The control routes answer requests addressed to a loopback name only.',
          expose: true,
        });
      }
      if (method === 'GET') return sendJson(res, 200, describe());
      if (method === 'DELETE') {
        faults.clear();
        res.writeHead(204).end();
        return;
      }
      if (method === 'PUT') {
        try {
          faults.replace(parseFaultRules(await readJsonBody(req), 'proxy'));
        } catch (error) {
          if (error instanceof FaultRuleError) {
            throw badRequest({
              description: `Invalid fault rules: ${error.message}`,
              expose: true,
            });
          }
          throw error;
        }
        return sendJson(res, 200, describe());
      }
      throw new ApiError({
        status: 405,
        headers: { allow: 'GET, PUT, DELETE' },
        description: `${method} is not allowed on ${FAULTS_PATH}.`,
        expose: true,
      });
    } catch (error) {
      sendError(req, res, error, errors);
    }
  };
}
