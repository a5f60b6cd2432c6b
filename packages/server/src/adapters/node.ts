/** The node:http adapter: a router on the pipeline, where the pipeline routes and runs the handler itself. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Locale, notImplemented } from '@apifault/contract';
import { readJsonBody } from '../body/node.js';
import { type ApifaultOptions, type ResolvedOptions, resolveOptions } from '../options.js';
import { Pipeline, pathOfTarget, routeMiss } from '../pipeline/index.js';
import type { HeadersRecord } from '../request-ids/index.js';
import { RouteTable } from '../routing/index.js';
import { guardBody, NodeExchange } from './node-exchange.js';

export {
  clientErrorListener,
  installClientErrorHandler,
  sendError,
  withApifault,
} from './node-server.js';

/** What a route handler receives. */
export interface Context {
  /** The Node request. */
  readonly req: IncomingMessage;
  /** The Node response: write it yourself, or return a value to send as JSON. */
  readonly res: ServerResponse;
  /** The upper-case method. */
  readonly method: string;
  /** The path as sent, without the query string. */
  readonly path: string;
  /** The path parameters (`:id` → `params.id`), percent-decoded. */
  readonly params: Record<string, string>;
  /** The query string, parsed. */
  readonly query: URLSearchParams;
  /** The request headers, lower-cased names. */
  readonly headers: HeadersRecord;
  /** The `MS-RequestId` the response carries. */
  readonly requestId: string;
  /** The `MS-CorrelationId` the response carries. */
  readonly correlationId: string;
  /** The locale negotiated from `X-Locale` / `Accept-Language`. */
  readonly locale: Locale;
  /** What the auth verifier returned, when authentication is configured. */
  readonly principal: unknown;
  /** Aborted when the client goes away before the response is finished. */
  readonly signal: AbortSignal;
  /** The status of a returned value. @default 200 */
  status: number;
  /** Puts a header on the response, success or error (`ETag`, `Location` …). */
  setHeader(name: string, value: string): void;
  /** Reads the JSON body (400/408/413 thrown per the contract); `undefined` when there is none. */
  json<T = unknown>(): Promise<T>;
}

/** A route handler: return a value to send it as JSON (`undefined`: 204), or write `ctx.res`. */
export type RouteHandler = (ctx: Context) => unknown;

const JSON_TYPE = 'application/json; charset=utf-8';
const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

class RequestContext extends NodeExchange implements Context {
  status = 200;
  params = NO_PARAMS;
  route: RouteHandler | undefined;
  #query: URLSearchParams | undefined;
  #signal: AbortSignal | undefined;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    readonly options: ResolvedOptions,
  ) {
    super(req, res, pathOfTarget(req.url ?? '/'), undefined, true);
  }

  get query(): URLSearchParams {
    if (this.#query === undefined) {
      const url = this.req.url ?? '';
      const q = url.indexOf('?');
      this.#query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
    }
    return this.#query;
  }

  get signal(): AbortSignal {
    if (!this.#signal) {
      const controller = new AbortController();
      this.onClose(() => {
        if (!this.finished) controller.abort();
      });
      this.#signal = controller.signal;
    }
    return this.#signal;
  }

  json<T>(): Promise<T> {
    return readJsonBody(this.req, {
      limit: this.options.bodyLimit,
      timeoutMs: this.options.bodyTimeoutMs,
    }) as Promise<T>;
  }
}

/** Writes a handler's value: JSON with the request ids, or no body for `undefined`, 204 and 304. */
function respond(ctx: RequestContext, value: unknown): void {
  // A handler that wrote the response itself has answered.
  if (ctx.started) return;
  const status = value === undefined && ctx.status === 200 ? 204 : ctx.status;
  const head: Record<string, string> = {
    'ms-requestid': ctx.requestId,
    'ms-correlationid': ctx.correlationId,
  };
  if (value === undefined || status === 204 || status === 304) {
    ctx.answer(status, head);
    return;
  }
  // Throws on a cycle or a BigInt: the pipeline answers that 500.
  const text = JSON.stringify(value);
  head['content-type'] = JSON_TYPE;
  ctx.answer(status, head, text);
}

/** The router returned by {@link createApp}. */
export interface App {
  /** The `(req, res)` listener for `http.createServer` or anything taking one. */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** The resolved options. */
  readonly options: ResolvedOptions;
  /** Registers `handler` for `method` on `path` (`:params`, a trailing `*`). */
  route(method: string, path: string, handler: RouteHandler): App;
  /** Registers a GET route (HEAD is answered by it too). */
  get(path: string, handler: RouteHandler): App;
  /** Registers a POST route. */
  post(path: string, handler: RouteHandler): App;
  /** Registers a PUT route. */
  put(path: string, handler: RouteHandler): App;
  /** Registers a PATCH route. */
  patch(path: string, handler: RouteHandler): App;
  /** Registers a DELETE route. */
  delete(path: string, handler: RouteHandler): App;
  /** Declares `method` on `path` as not implemented: it answers 501 (and counts in `Allow`). */
  notImplemented(method: string, path: string, description?: string): App;
  /**
   * Answers `error` on `ctx` the way a route's throw is answered (a response already started
   * is cut), for a handler that returns an error rather than throwing it.
   */
  fail(ctx: Context, error: unknown): void;
}

/**
 * Creates a node:http application: routes with `:params`, JSON results, and every failure
 * answered with the contract by the pipeline (501, 400 path policy, 406, 401/403, 429,
 * 404, 405 + Allow, body errors, thrown errors).
 *
 * @example
 * const app = createApp({ source: 'PartnerFD' });
 * app.get('/v1/customers/:id', (ctx) => ({ id: ctx.params.id }));
 * http.createServer(app.handler).listen(8080);
 */
export function createApp(options: ApifaultOptions | ResolvedOptions = {}): App {
  const resolved = resolveOptions(options);
  const table = new RouteTable<RouteHandler>();
  const pipeline = new Pipeline<RequestContext>(resolved, {
    routing: {
      name: 'routing',
      run(ctx) {
        const match = table.match(ctx.method, ctx.path);
        if (match.kind !== 'found') return routeMiss(match);
        ctx.params = match.params;
        ctx.route = match.value;
        return undefined;
      },
    },
    handler: {
      name: 'handler',
      run(ctx) {
        const result = ctx.route!(ctx);
        if (result instanceof Promise) return result.then((value) => respond(ctx, value));
        respond(ctx, result);
        return undefined;
      },
    },
  });

  const app: App = {
    handler(req, res) {
      guardBody(req, res, resolved.bodyTimeoutMs);
      pipeline.run(new RequestContext(req, res, resolved));
    },
    options: resolved,
    route(method, path, routeHandler) {
      table.add(method.toUpperCase(), path, routeHandler);
      return app;
    },
    get: (path, h) => app.route('GET', path, h),
    post: (path, h) => app.route('POST', path, h),
    put: (path, h) => app.route('PUT', path, h),
    patch: (path, h) => app.route('PATCH', path, h),
    delete: (path, h) => app.route('DELETE', path, h),
    notImplemented(method, path, description) {
      return app.route(method, path, () => {
        throw notImplemented(description);
      });
    },
    // Every context a route sees is one this app made.
    fail: (ctx, error) => pipeline.fail(ctx as RequestContext, error),
  };
  return app;
}
