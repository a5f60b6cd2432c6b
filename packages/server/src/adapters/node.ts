/** The node:http adapter: a small router whose registration table yields 404/405/501, and helpers for plain `(req, res)` handlers. */

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  ApiError,
  type ApiErrorOptions,
  getStatusInfo,
  type Locale,
  notImplemented,
} from '@apifault/contract';
import { readJsonBody } from '../body/node.js';
import { type ApifaultOptions, type ResolvedOptions, resolveOptions } from '../options.js';
import {
  type ErrorParts,
  localeOf,
  optionsParts,
  renderError,
  renderParts,
} from '../render/index.js';
import { echoOrGenerateId, type HeadersRecord, resolveRequestIds } from '../request-ids/index.js';
import { RouteTable } from '../routing/index.js';
import { sendError, writeRendered } from './node-response.js';
import { admit, missParts, unknownMethodParts } from './pipeline.js';

export { sendError } from './node-response.js';

/** What a route handler receives. */
export interface Context {
  /** The Node request. */
  readonly req: IncomingMessage;
  /** The Node response: write it yourself, or return a value to send as JSON. */
  readonly res: ServerResponse;
  /** The upper-case method. */
  readonly method: string;
  /** The path, without the query string. */
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
  /** Reads the JSON body (400/408/413 thrown per the contract); `undefined` when there is none. */
  json<T = unknown>(): Promise<T>;
}

/** A route handler: return a value to send it as JSON (`undefined`: 204), or write `ctx.res`. */
export type RouteHandler = (ctx: Context) => unknown;

class RequestContext implements Context {
  status = 200;
  principal: unknown;
  #query: URLSearchParams | undefined;
  #locale: Locale | undefined;
  #signal: AbortSignal | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly method: string,
    readonly path: string,
    readonly search: string,
    readonly params: Record<string, string>,
    readonly requestId: string,
    readonly correlationId: string,
    readonly options: ResolvedOptions,
  ) {}

  get headers(): HeadersRecord {
    return this.req.headers;
  }

  get query(): URLSearchParams {
    this.#query ??= new URLSearchParams(this.search);
    return this.#query;
  }

  get locale(): Locale {
    this.#locale ??= localeOf(this.req.headers);
    return this.#locale;
  }

  get signal(): AbortSignal {
    if (!this.#signal) {
      const controller = new AbortController();
      this.res.once('close', () => {
        if (!this.res.writableFinished) controller.abort();
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
   * Answers `error` on `ctx` the way a route's throw is answered (rendered with the request's
   * ids; a response already started is cut), for a handler that returns an error rather
   * than throwing it.
   */
  fail(ctx: Context, error: unknown): void;
  /**
   * Answers what `fail(ctx, new ApiError(options))` answers, without building the Error: V8
   * walks the stack for every Error it creates, which on a hot 4xx (an unknown id) cost a
   * tenth of the request. A status outside 400–499 goes through {@link App.fail}, logs and all.
   */
  failWith(ctx: Context, options: ApiErrorOptions): void;
}

const JSON_TYPE = 'application/json; charset=utf-8';

const pathOfContext = (ctx: RequestContext): string => ctx.path;

/**
 * Creates a node:http application: routes with `:params`, JSON results, and every failure
 * (404, 405 + Allow, 406, 401/403, 400/408/413 bodies, thrown errors, 501 for unknown
 * methods) answered with the contract.
 *
 * @example
 * const app = createApp({ source: 'PartnerFD' });
 * app.get('/v1/customers/:id', (ctx) => ({ id: ctx.params.id }));
 * http.createServer(app.handler).listen(8080);
 */
export function createApp(options: ApifaultOptions | ResolvedOptions = {}): App {
  const resolved = resolveOptions(options);
  const table = new RouteTable<RouteHandler>();

  function run(ctx: RequestContext, handler: RouteHandler): void {
    let result: unknown;
    try {
      result = handler(ctx);
    } catch (error) {
      fail(ctx, error);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (value) => respond(ctx, value),
        (error) => fail(ctx, error),
      );
    } else {
      respond(ctx, result);
    }
  }

  function respond(ctx: RequestContext, value: unknown): void {
    const res = ctx.res;
    if (res.headersSent || res.writableEnded) return;
    if (value === undefined) {
      res.writeHead(ctx.status === 200 ? 204 : ctx.status, {
        'ms-requestid': ctx.requestId,
        'ms-correlationid': ctx.correlationId,
      });
      res.end();
      return;
    }
    let text: string;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      fail(ctx, error);
      return;
    }
    res.writeHead(ctx.status, {
      'content-type': JSON_TYPE,
      'ms-requestid': ctx.requestId,
      'ms-correlationid': ctx.correlationId,
    });
    res.end(text);
  }

  function fail(ctx: RequestContext, error: unknown): void {
    const rendered = renderError(error, {
      options: resolved,
      headers: ctx.req.headers,
      requestId: ctx.requestId,
      correlationId: ctx.correlationId,
      method: ctx.method,
      path: ctx.path,
    });
    writeRendered(ctx.res, rendered, resolved);
  }

  /** Writes error parts with the request's ids: the adapter's own 404/405/501, and failWith. */
  function writeParts(ctx: RequestContext, parts: ErrorParts): void {
    writeRendered(
      ctx.res,
      renderParts(parts, {
        options: resolved,
        headers: ctx.req.headers,
        requestId: ctx.requestId,
        correlationId: ctx.correlationId,
      }),
      resolved,
    );
  }

  function failWith(ctx: RequestContext, options: ApiErrorOptions): void {
    const status = options.status;
    if (!Number.isInteger(status) || status < 400 || status > 499) {
      fail(ctx, new ApiError(options));
      return;
    }
    writeParts(ctx, optionsParts(options));
  }

  function dispatch(ctx: RequestContext): void {
    const match = table.match(ctx.method, ctx.path);
    if (match.kind !== 'found') {
      writeParts(ctx, missParts(match));
      return;
    }
    (ctx as { params: Record<string, string> }).params = match.params;
    run(ctx, match.value);
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const search = q === -1 ? '' : url.slice(q + 1);
    const requestId = echoOrGenerateId(req.headers['ms-requestid']);
    const correlationId = echoOrGenerateId(req.headers['ms-correlationid']);
    const ctx = new RequestContext(
      req,
      res,
      method,
      path,
      search,
      {},
      requestId,
      correlationId,
      resolved,
    );
    const unknown = unknownMethodParts(method);
    if (unknown) {
      writeParts(ctx, unknown);
      return;
    }
    let admitted: Promise<unknown> | undefined;
    try {
      admitted = admit(resolved, method, req.headers, ctx, pathOfContext);
    } catch (error) {
      fail(ctx, error);
      return;
    }
    if (admitted === undefined) {
      dispatch(ctx);
      return;
    }
    admitted.then(
      (principal) => {
        ctx.principal = principal;
        dispatch(ctx);
      },
      (error) => fail(ctx, error),
    );
  };

  const app: App = {
    handler,
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
    fail: (ctx, error) => fail(ctx as RequestContext, error),
    failWith: (ctx, options) => failWith(ctx as RequestContext, options),
  };
  return app;
}

/**
 * Wraps a plain `(req, res)` handler: sets `MS-RequestId`/`MS-CorrelationId` on the
 * response and answers anything it throws (or rejects with) with the contract.
 *
 * @example http.createServer(withApifault(async (req, res) => { … }, { source: 'billing' }))
 */
export function withApifault(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
  options: ApifaultOptions | ResolvedOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const resolved = resolveOptions(options);
  return (req, res) => {
    const { requestId, correlationId } = resolveRequestIds(req.headers);
    res.setHeader('ms-requestid', requestId);
    res.setHeader('ms-correlationid', correlationId);
    const fail = (error: unknown): void => {
      const rendered = renderError(error, {
        options: resolved,
        headers: req.headers,
        requestId,
        correlationId,
        ...(req.method === undefined ? {} : { method: req.method }),
      });
      writeRendered(res, rendered, resolved);
    };
    try {
      const result = handler(req, res);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

/** The status and reason of a `clientError`, from Node's parser error codes. */
function clientErrorStatus(code: unknown): number {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return 408;
    case 'HPE_HEADER_OVERFLOW':
      return 431;
    case 'HPE_INVALID_METHOD':
      // A method Node's parser has never heard of (BREW): not implemented, as routed ones are.
      return 501;
    default:
      return 400;
  }
}

/** Writes a contract error of `status` on a raw socket and closes it; returns its request id. */
function answerOnSocket(socket: Socket, status: number, resolved: ResolvedOptions): string {
  const rendered = renderParts(
    {
      status,
      code: String(status),
      description: undefined,
      data: undefined,
      source: undefined,
      headers: undefined,
      expose: false,
      known: true,
    },
    { options: resolved },
  );
  let head = `HTTP/1.1 ${status} ${getStatusInfo(status).reason['en-US']}\r\n`;
  for (const [name, value] of Object.entries(rendered.headers)) head += `${name}: ${value}\r\n`;
  head += `content-length: ${Buffer.byteLength(rendered.json)}\r\nconnection: close\r\n\r\n`;
  socket.end(head + rendered.json);
  return rendered.headers['ms-requestid'] ?? '';
}

/**
 * Makes a Node server answer requests it cannot even parse (garbled request line, headers
 * too large, request or headers timeout) with a contract body written on the raw socket,
 * then closes it, instead of Node's bare text. It also answers what Node would otherwise
 * answer bare or drop before any handler runs, unless the server already listens for it: an
 * `Expect` other than `100-continue` (417) and a `CONNECT` request (501).
 *
 * @example installClientErrorHandler(server, { source: 'billing' })
 */
export function installClientErrorHandler(
  server: Server,
  options: ApifaultOptions | ResolvedOptions = {},
): void {
  const resolved = resolveOptions(options);
  server.on('clientError', clientErrorListener(resolved));
  answerBareRequests(server, resolved);
}

/**
 * Answers with the contract what Node answers bare or drops before any handler runs (an
 * unmet `Expect`, `CONNECT`), unless the server already listens for it. Internal: used by
 * {@link installClientErrorHandler} and the Fastify plugin.
 */
export function answerBareRequests(server: Server, resolved: ResolvedOptions): void {
  if (server.listenerCount('checkExpectation') === 0) {
    server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
      sendError(
        req,
        res,
        new ApiError({ status: 417, headers: { Connection: 'close' } }),
        resolved,
      );
    });
  }
  if (server.listenerCount('connect') === 0) {
    // Without a listener Node destroys the socket silently: the client deserves an answer.
    server.on('connect', (_req: IncomingMessage, socket: Socket) => {
      answerOnSocket(socket, 501, resolved);
    });
  }
}

/**
 * The `clientError` listener of {@link installClientErrorHandler}, for servers that take it
 * as an option (Fastify's `clientErrorHandler`).
 *
 * @example Fastify({ clientErrorHandler: clientErrorListener({ source: 'billing' }) })
 */
export function clientErrorListener(
  options: ApifaultOptions | ResolvedOptions = {},
): (error: NodeJS.ErrnoException, socket: Socket) => void {
  const resolved = resolveOptions(options);
  return (error: NodeJS.ErrnoException, socket: Socket) => {
    const code = error.code;
    // The client left or the connection broke: there is no one to answer.
    if (code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    // A response already under way on this socket cannot be replaced.
    const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (started?.headersSent) {
      socket.destroy();
      return;
    }
    const status = clientErrorStatus(code);
    const requestId = answerOnSocket(socket, status, resolved);
    resolved.logger.warn({ err: error, status, requestId }, 'apifault: unparseable request');
  };
}
