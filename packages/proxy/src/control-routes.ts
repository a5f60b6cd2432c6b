/**
 * The emulator's control routes that apply to the proxy, with the same JSON: the fault rules
 * (`GET`, `PUT`, `POST` (append, keeping the other rules' counters) and
 * `DELETE /_emulator/faults`, and `DELETE /_emulator/faults/{ruleId}`) and the dashboard (its
 * page, the live traffic stream and an exchange's details, from `@apifault/dashboard`). Only a
 * request addressed to a loopback name is served (a page on another site cannot reach them
 * through DNS rebinding).
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, forbidden, notFound } from '@apifault/contract';
import type { Dashboard } from '@apifault/dashboard';
import { type ResolvedOptions, readJsonBody, sendError } from '@apifault/server';
import {
  type FaultEngine,
  type FaultRule,
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

/** The JSON form of `rules` (the pipeline's, or those of `run`): a FaultRuleError becomes a 400. */
async function withRules<T>(req: IncomingMessage, run: (rules: FaultRule[]) => T): Promise<T> {
  try {
    return run(parseFaultRules(await readJsonBody(req), 'proxy'));
  } catch (error) {
    if (error instanceof FaultRuleError) {
      throw badRequest({ description: `Invalid fault rules: ${error.message}`, expose: true });
    }
    throw error;
  }
}

const RULE_PATH = /^\/_emulator\/faults\/([^/]*)$/;

function checkLoopback(req: IncomingMessage): void {
  if (!LOOPBACK.test(req.headers.host ?? '')) {
    throw forbidden({
      description: 'The control routes answer requests addressed to a loopback name only.',
      expose: true,
    });
  }
}

/** The handler of a control route, or undefined when `path` is not one (the request is forwarded). */
export function controlRoute(
  method: string,
  path: string,
  faults: FaultEngine,
  seed: number,
  dashboard: Dashboard,
): ControlHandler | undefined {
  const page = dashboard.route(path);
  if (page) {
    return async (req, res, errors) => {
      try {
        checkLoopback(req);
        page(req, res);
      } catch (error) {
        sendError(req, res, error, errors);
      }
    };
  }
  const ruleId = RULE_PATH.exec(path)?.[1];
  if (path !== FAULTS_PATH && ruleId === undefined) return undefined;
  const describe = (only?: ReadonlySet<number>) => ({ seed, rules: faults.describe(only) });
  return async (req, res, errors) => {
    try {
      checkLoopback(req);
      if (ruleId !== undefined) {
        if (method !== 'DELETE') throw notAllowed(method, path, 'DELETE');
        if (!/^[1-9]\d{0,15}$/.test(ruleId)) {
          throw badRequest({
            description: 'The rule id must be a positive integer.',
            expose: true,
          });
        }
        if (!faults.remove(Number(ruleId))) {
          throw notFound({ description: `No fault rule has the id ${ruleId}.`, expose: true });
        }
        res.writeHead(204).end();
        return;
      }
      if (method === 'GET') return sendJson(res, 200, describe());
      if (method === 'DELETE') {
        faults.clear();
        res.writeHead(204).end();
        return;
      }
      if (method === 'PUT') {
        await withRules(req, (rules) => faults.replace(rules));
        return sendJson(res, 200, describe());
      }
      if (method === 'POST') {
        const ids = await withRules(req, (rules) => faults.add(rules));
        return sendJson(res, 201, describe(new Set(ids)));
      }
      throw notAllowed(method, path, 'GET, PUT, POST, DELETE');
    } catch (error) {
      sendError(req, res, error, errors);
    }
  };
}

function notAllowed(method: string, path: string, allow: string): ApiError {
  return new ApiError({
    status: 405,
    headers: { allow },
    description: `${method} is not allowed on ${path}.`,
    expose: true,
  });
}
