/** The Express 5 adapter: Express's request and response as the pipeline's exchange, Express's router for routing. */

import { formatAllow } from '@apifault/contract';
import type {
  ErrorRequestHandler,
  Express,
  NextFunction,
  Request,
  RequestHandler,
  Response,
} from 'express';
import { readJsonBody } from '../body/node.js';
import type { ApifaultOptions, ResolvedOptions } from '../options.js';
import { type AdapterParts, pathOfTarget, pipelineOf, routeMiss } from '../pipeline/index.js';
import { recognizeBodyParser } from '../recognize/body-parser.js';
import { guardBody, idsOf, NodeExchange } from './node-exchange.js';

export { sendError } from './node-server.js';

/** What the adapter keeps per request, in `res.locals.apifault`. */
export interface ApifaultLocals {
  readonly requestId: string;
  readonly correlationId: string;
  /** What the auth verifier returned, when authentication is configured. */
  readonly principal: unknown;
}

const EXPRESS: AdapterParts<NodeExchange> = { recognizers: [recognizeBodyParser] };

function exchangeOf(req: Request, res: Response): NodeExchange {
  const kept = res.locals['apifault'];
  if (kept instanceof NodeExchange) return kept;
  return new NodeExchange(req, res, pathOfTarget(req.originalUrl ?? req.url), idsOf(req, res));
}

/**
 * The first middleware: sets `MS-RequestId`/`MS-CorrelationId` on the response and runs the
 * pipeline's stages before routing (503, 501, the path policy, 406, 401/403, 429, and the
 * application's own). A refusal is answered here; the request goes on otherwise.
 *
 * @example app.use(apifault({ source: 'billing' }))
 */
export function apifault(options: ApifaultOptions | ResolvedOptions = {}): RequestHandler {
  const pipeline = pipelineOf(options, EXPRESS).requireAdmissionOnly('Express');
  return function apifaultMiddleware(req, res, next) {
    const exchange = new NodeExchange(req, res, pathOfTarget(req.originalUrl ?? req.url));
    guardBody(req, res, pipeline.options.bodyTimeoutMs);
    res.setHeader('ms-requestid', exchange.requestId);
    res.setHeader('ms-correlationid', exchange.correlationId);
    res.locals['apifault'] = exchange;
    const admitted = pipeline.admit(exchange);
    if (admitted === true) next();
    else if (admitted !== false) admitted.then((ok) => ok && next());
  };
}

/**
 * Installs the adapter on an Express app: case-sensitive and strict routing (a trailing
 * slash is another path), as on every adapter, and {@link apifault} as the first middleware.
 * Register routes after it, then `app.use(notFound(options), errorHandler(options))`.
 * Routers you mount: `express.Router({ caseSensitive: true, strict: true })`.
 *
 * @example const app = useApifault(express(), options); app.get('/v1/x', h); app.use(notFound(options), errorHandler(options))
 */
export function useApifault<T extends Express>(
  app: T,
  options: ApifaultOptions | ResolvedOptions = {},
): T {
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  // The router may already exist; its options apply to the routes added from now on.
  const router = app.router as unknown as { caseSensitive?: boolean; strict?: boolean };
  router.caseSensitive = true;
  router.strict = true;
  app.use(apifault(options));
  return app;
}

/**
 * A JSON body parser with the contract's answers: 400 (wrong Content-Type, malformed JSON),
 * 413 (over `bodyLimit`, reading stops), 408 (slower than `bodyTimeoutMs`). Sets `req.body`.
 *
 * @example app.post('/v1/orders', json(), handler)
 */
export function json(options: ApifaultOptions | ResolvedOptions = {}): RequestHandler {
  const resolved = pipelineOf(options, EXPRESS).options;
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
 * The last middleware: the pipeline's 404, or 405 with `Allow` when the path exists with
 * other methods (from the routes really registered).
 *
 * @example app.use(notFound(), errorHandler())
 */
export function notFound(options: ApifaultOptions | ResolvedOptions = {}): RequestHandler {
  const pipeline = pipelineOf(options, EXPRESS);
  return function apifaultNotFound(req, res) {
    const allow = allowedMethods(req);
    // A route of this very method matched but passed the request on: nothing answers it.
    const miss =
      allow.length === 0 || allow.includes(req.method)
        ? ({ kind: 'not-found' } as const)
        : ({ kind: 'method-not-allowed', allow: formatAllow(allow) } as const);
    pipeline.fail(exchangeOf(req, res), routeMiss(miss));
  };
}

/**
 * The error handler: answers anything passed to `next(err)` or thrown by a route with the
 * pipeline's `fail` (after the response started, it ends the connection and logs instead).
 *
 * @example app.use(errorHandler({ source: 'billing', logger: pino() }))
 */
export function errorHandler(options: ApifaultOptions | ResolvedOptions = {}): ErrorRequestHandler {
  const pipeline = pipelineOf(options, EXPRESS);
  return function apifaultErrorHandler(err, req, res, _next) {
    pipeline.fail(exchangeOf(req, res), err);
  };
}

export { recognizeBodyParser };
