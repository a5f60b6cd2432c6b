/** The Express 5 adapter: request-id/negotiation/auth middleware, a JSON body parser, 404/405 from the app's real routes, and the error handler. */

import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { readJsonBody } from '../body/node.js';
import { type ApifaultOptions, type ResolvedOptions, resolveOptions } from '../options.js';
import { renderParts } from '../render/index.js';
import { resolveRequestIds } from '../request-ids/index.js';
import { sendError, writeRendered } from './node-response.js';
import { admit, missPartsFromAllow, unknownMethodParts } from './pipeline.js';

export { sendError } from './node-response.js';

/** What the adapter keeps per request, in `res.locals.apifault`. */
export interface ApifaultLocals {
  requestId: string;
  correlationId: string;
  /** What the auth verifier returned, when authentication is configured. */
  principal?: unknown;
}

// `req.path` parses the URL: read only when authentication needs it.
const pathOf = (req: Request): string => req.path;

/**
 * The first middleware: sets `MS-RequestId`/`MS-CorrelationId` on the response, answers
 * unknown methods 501, checks `Accept` (406) and runs bearer authentication (401/403) when
 * configured. Failures go to `next(err)`, for {@link errorHandler}.
 *
 * @example app.use(apifault({ source: 'billing' }))
 */
export function apifault(options: ApifaultOptions | ResolvedOptions = {}): RequestHandler {
  const resolved = resolveOptions(options);
  return function apifaultMiddleware(req, res, next) {
    const ids = resolveRequestIds(req.headers);
    res.setHeader('ms-requestid', ids.requestId);
    res.setHeader('ms-correlationid', ids.correlationId);
    const locals: ApifaultLocals = ids;
    res.locals['apifault'] = locals;
    const unknown = unknownMethodParts(req.method);
    if (unknown) {
      writeRendered(
        res,
        renderParts(unknown, { options: resolved, headers: req.headers, ...ids }),
        resolved,
      );
      return;
    }
    let admitted: Promise<unknown> | undefined;
    try {
      admitted = admit(resolved, req.method, req.headers, req, pathOf);
    } catch (error) {
      next(error);
      return;
    }
    if (admitted === undefined) {
      next();
      return;
    }
    admitted.then((principal) => {
      locals.principal = principal;
      next();
    }, next);
  };
}

/**
 * A JSON body parser with the contract's answers: 400 (wrong Content-Type, malformed JSON),
 * 413 (over `bodyLimit`, reading stops), 408 (slower than `bodyTimeoutMs`). Sets `req.body`.
 *
 * @example app.post('/v1/orders', json(), handler)
 */
export function json(options: ApifaultOptions | ResolvedOptions = {}): RequestHandler {
  const resolved = resolveOptions(options);
  return function apifaultJson(req, _res, next) {
    readJsonBody(req, { limit: resolved.bodyLimit, timeoutMs: resolved.bodyTimeoutMs }).then(
      (body) => {
        req.body = body;
        next();
      },
      next,
    );
  };
}

interface LayerLike {
  route?: { methods?: Record<string, boolean> };
  handle?: { stack?: unknown };
  match?(path: string): unknown;
}

function collectMethods(stack: unknown, path: string, into: Set<string>, depth: number): void {
  if (!Array.isArray(stack) || depth > 16) return;
  for (const layer of stack as LayerLike[]) {
    if (typeof layer?.match !== 'function') continue;
    const match = layer.match(path);
    if (!match) continue;
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods ?? {})) {
        if (on && method !== '_all') into.add(method.toUpperCase());
      }
    } else if (layer.handle && Array.isArray(layer.handle.stack)) {
      // A mounted router: match the rest of the path in it.
      const matched = (match as { path?: unknown }).path;
      const prefix = typeof matched === 'string' ? matched : '';
      collectMethods(layer.handle.stack, path.slice(prefix.length) || '/', into, depth + 1);
    }
  }
}

/** The methods the Express app really registered for `path` (with HEAD implied by GET). */
export function allowedMethods(req: Request): string[] {
  const router = (req.app as unknown as { router?: { stack?: unknown } }).router;
  const methods = new Set<string>();
  collectMethods(router?.stack, req.path, methods, 0);
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

function localsOf(res: Response): ApifaultLocals | undefined {
  return res.locals['apifault'] as ApifaultLocals | undefined;
}

/** Stands for a falsy value (`null`, `undefined`, `0`, `''`) thrown by a route handler. */
export class FalsyThrownError extends Error {
  override name = 'FalsyThrownError' as const;
  constructor(readonly value: unknown) {
    super(`A route handler threw ${String(value) || JSON.stringify(value)}.`, { cause: value });
  }
}

/**
 * Wraps a route handler so everything it throws or rejects with reaches the error handler.
 * Express 5 forwards thrown errors itself, but treats a thrown `null`/`undefined` as "no
 * error" and keeps routing; the wrapper turns those into a {@link FalsyThrownError}.
 *
 * @example app.get('/v1/customers/:id', handle(async (req, res) => { … }))
 */
export function handle(
  fn: (req: Request, res: Response, next: NextFunction) => unknown,
): RequestHandler {
  return function apifaultHandle(req, res, next) {
    const fail = (error: unknown): void => next(error || new FalsyThrownError(error));
    try {
      const result = fn(req, res, next);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

/**
 * The last middleware: 405 with `Allow` when the path exists with other methods (from the
 * routes really registered), 501 for unknown methods, else 404.
 *
 * @example app.use(notFound()); app.use(errorHandler())
 */
export function notFound(options: ApifaultOptions | ResolvedOptions = {}): RequestHandler {
  const resolved = resolveOptions(options);
  return function apifaultNotFound(req, res) {
    let parts = unknownMethodParts(req.method);
    if (!parts) {
      const allow = allowedMethods(req);
      // A route of this very method matched but passed the request on: nothing answers it.
      parts = missPartsFromAllow(allow.includes(req.method) ? [] : allow);
    }
    const locals = localsOf(res);
    writeRendered(
      res,
      renderParts(parts, {
        options: resolved,
        headers: req.headers,
        ...(locals ?? resolveRequestIds(req.headers)),
      }),
      resolved,
    );
  };
}

/**
 * The error handler: renders anything passed to `next(err)` or thrown by a route (ApiError,
 * http-errors, body-parser errors, anything) with the contract. After the response started,
 * it ends the connection and logs instead.
 *
 * @example app.use(errorHandler({ source: 'billing', logger: pino() }))
 */
export function errorHandler(options: ApifaultOptions | ResolvedOptions = {}): ErrorRequestHandler {
  const resolved = resolveOptions(options);
  return function apifaultErrorHandler(err, req, res, _next) {
    sendError(req, res, err, resolved);
  };
}
