/** The Hono 4 adapter: Hono's context as the pipeline's exchange, its router for routing; Web APIs only, so it runs on any Fetch runtime. */

import { badRequest } from '@apifault/contract';
import type { Context, ErrorHandler, MiddlewareHandler, NotFoundHandler } from 'hono';
import { readJsonRequest } from '../body/web.js';
import type { ApifaultOptions, ResolvedOptions } from '../options.js';
import { type AdapterParts, Exchange, pipelineOf, routeMiss } from '../pipeline/index.js';
import {
  type ErrorBag,
  type ErrorRecognizer,
  errorParts,
  type RenderedError,
  renderError,
} from '../render/index.js';
import type { HeadersRecord } from '../request-ids/index.js';
import { RouteTable } from '../routing/index.js';

// biome-ignore lint/suspicious/noExplicitAny: a handler must fit any application's Env
type AnyContext = Context<any>;

/** What the adapter keeps per request, under `c.get('apifault')`. */
export interface ApifaultState {
  readonly requestId: string;
  readonly correlationId: string;
  /** What the auth verifier returned, when authentication is configured. */
  readonly principal: unknown;
}

/** The Hono environment the adapter's variables live in. */
export interface ApifaultEnv {
  Variables: { apifault: ApifaultState };
}

/** The Node objects @hono/node-server gives as `c.env`. */
interface NodeBindings {
  incoming?: { url?: string; headers?: HeadersRecord };
  outgoing?: {
    setHeader(name: string, value: string): unknown;
    headersSent?: boolean;
    destroy(): void;
    once(event: 'close', listener: () => void): unknown;
  };
}

function webHeaders(request: Request): HeadersRecord {
  const out: HeadersRecord = {};
  request.headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

function rawPath(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * An {@link Exchange} over Hono's context. On Node (@hono/node-server) it reads the raw
 * request (its path as sent, its header record) and writes headers on the outgoing message,
 * which merges them into whatever response it writes; elsewhere, Hono's own request and
 * prepared headers.
 */
class HonoExchange extends Exchange {
  readonly #c: AnyContext;
  readonly #node: NodeBindings | undefined;
  #closeListeners: (() => void)[] | undefined;

  /** @param options the options of the middleware, for {@link readJson} */
  constructor(
    c: AnyContext,
    readonly options: ResolvedOptions,
  ) {
    const node = c.env as NodeBindings | undefined;
    const incoming = node?.incoming;
    const onNode = typeof incoming?.url === 'string' && typeof incoming.headers === 'object';
    super(
      c.req.method,
      onNode ? rawPath(incoming!.url!) : c.req.path,
      onNode ? incoming!.headers! : webHeaders(c.req.raw),
    );
    this.#c = c;
    this.#node = onNode && typeof node?.outgoing?.setHeader === 'function' ? node : undefined;
  }

  get started(): boolean {
    return this.#node?.outgoing?.headersSent === true;
  }

  setHeader(name: string, value: string): void {
    const outgoing = this.#node?.outgoing;
    if (outgoing !== undefined && !outgoing.headersSent) outgoing.setHeader(name, value);
    else this.#c.header(name, value);
  }

  send(rendered: RenderedError): void {
    this.#c.res = new Response(rendered.json, {
      status: rendered.status,
      headers: rendered.headers,
    });
  }

  destroy(): void {
    this.#node?.outgoing?.destroy();
  }

  onClose(listener: () => void): void {
    const outgoing = this.#node?.outgoing;
    if (outgoing !== undefined) {
      outgoing.once('close', listener);
      return;
    }
    this.#closeListeners ??= [];
    this.#closeListeners.push(listener);
  }

  /** Off Node, "closed" is when the middleware chain has answered. */
  closed(): void {
    const listeners = this.#closeListeners;
    this.#closeListeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }
}

function isBag(value: unknown): value is ErrorBag {
  return typeof value === 'object' && value !== null;
}

/** Headers a Hono `HTTPException` carries on its prepared response. */
function responseHeaders(res: unknown): Record<string, string> | undefined {
  if (!isBag(res) || !isBag(res['headers'])) return undefined;
  const get = (res['headers'] as ErrorBag)['get'];
  if (typeof get !== 'function') return undefined;
  const out: Record<string, string> = {};
  for (const name of ['www-authenticate', 'allow', 'retry-after']) {
    const value = get.call(res['headers'], name);
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

/** Hono's `HTTPException`: a status and a prepared response whose message is for the caller. */
export const recognizeHttpException: ErrorRecognizer = (error) => {
  if (typeof error['getResponse'] !== 'function' || typeof error['status'] !== 'number') {
    return undefined;
  }
  const status = error['status'];
  return errorParts({
    status,
    description: typeof error['message'] === 'string' ? error['message'] : undefined,
    headers: responseHeaders(error['res']),
    known: status < 500,
  });
};

const HONO: AdapterParts<HonoExchange> = { recognizers: [recognizeHttpException] };

function exchangeOf(c: AnyContext, options: ResolvedOptions): HonoExchange {
  const kept = c.get('apifault') as unknown;
  return kept instanceof HonoExchange ? kept : new HonoExchange(c, options);
}

const DONE: Promise<void> = Promise.resolve();

/**
 * The first middleware (`app.use('*', apifault())`): sets `MS-RequestId`/`MS-CorrelationId`
 * and runs the pipeline's stages before routing. Failures reach {@link onError}; a thrown
 * value that is not an `Error` (which Hono does not hand to `onError`) is answered here.
 */
export function apifault(options: ApifaultOptions | ResolvedOptions = {}): MiddlewareHandler {
  const pipeline = pipelineOf(options, HONO).requireAdmissionOnly('Hono');
  const proceed = (next: () => Promise<void>, exchange: HonoExchange) =>
    next().then(
      () => exchange.closed(),
      (error: unknown) => {
        pipeline.fail(exchange, error);
        exchange.closed();
      },
    );
  // Not an `async` function: an extra async frame and await per request showed in the
  // server's CPU per request. Hono awaits what it returns and catches what it throws alike.
  return function apifaultMiddleware(c, next) {
    const exchange = new HonoExchange(c, pipeline.options);
    c.set('apifault', exchange);
    exchange.setHeader('ms-requestid', exchange.requestId);
    exchange.setHeader('ms-correlationid', exchange.correlationId);
    const admitted = pipeline.admit(exchange);
    if (admitted === true) return proceed(next, exchange);
    if (admitted === false) return DONE;
    return admitted.then((ok) => (ok ? proceed(next, exchange) : undefined));
  };
}

/**
 * The error handler (`app.onError(onError())`): answers anything thrown (ApiError,
 * HTTPException, anything) with the pipeline.
 */
export function onError(options: ApifaultOptions | ResolvedOptions = {}): ErrorHandler {
  const pipeline = pipelineOf(options, HONO);
  return (error, c) => {
    pipeline.fail(exchangeOf(c, pipeline.options), error);
    return c.res;
  };
}

/** What {@link notFound} needs of the application: its registered routes. */
export interface RoutesSource {
  readonly routes: readonly { readonly method: string; readonly path: string }[];
}

/**
 * The not-found handler (`app.notFound(notFound(app))`): the pipeline's 405 with `Allow`
 * when the path is registered with other methods (read from `app.routes`; middleware
 * entries, method `ALL`, do not count), else 404.
 */
export function notFound(
  app: RoutesSource,
  options: ApifaultOptions | ResolvedOptions = {},
): NotFoundHandler {
  const pipeline = pipelineOf(options, HONO);
  let table = new RouteTable<true>();
  let seen = -1;
  return (c) => {
    if (seen !== app.routes.length) {
      table = new RouteTable<true>();
      for (const route of app.routes) {
        if (route.method !== 'ALL') table.add(route.method.toUpperCase(), route.path, true);
      }
      seen = app.routes.length;
    }
    const exchange = exchangeOf(c, pipeline.options);
    const match = table.match(exchange.method, exchange.path);
    pipeline.fail(exchange, routeMiss(match.kind === 'found' ? { kind: 'not-found' } : match));
    return c.res;
  };
}

/** What {@link useApifault} installs on. */
export interface HonoLike extends RoutesSource {
  use(path: string, ...handlers: MiddlewareHandler[]): unknown;
  onError(handler: ErrorHandler): unknown;
  notFound(handler: NotFoundHandler): unknown;
}

/**
 * Installs the middleware, `onError` and `notFound` on `app` in one call. Call it before
 * registering routes so the middleware runs first.
 *
 * @example const app = new Hono(); useApifault(app, { source: 'billing' }); app.get('/v1/x', h)
 */
export function useApifault<T extends HonoLike>(
  app: T,
  options: ApifaultOptions | ResolvedOptions = {},
): T {
  app.use('*', apifault(options));
  app.onError(onError(options));
  app.notFound(notFound(app, options));
  return app;
}

/**
 * Reads the JSON body of the request with the contract's answers: 400 (wrong Content-Type,
 * malformed JSON), 413 (over `bodyLimit`), 408 (slower than `bodyTimeoutMs`).
 *
 * @param options @default the options given to the {@link apifault} middleware
 * @example app.post('/v1/orders', async (c) => c.json(await readJson(c), 201))
 */
export function readJson<T = unknown>(
  c: AnyContext,
  options?: ApifaultOptions | ResolvedOptions,
): Promise<T> {
  const kept = c.get('apifault') as unknown;
  const resolved = pipelineOf(
    options ?? (kept instanceof HonoExchange ? kept.options : {}),
    HONO,
  ).options;
  return readJsonRequest(c.req.raw, {
    limit: resolved.bodyLimit,
    timeoutMs: resolved.bodyTimeoutMs,
  }) as Promise<T>;
}

/**
 * The `errorHandler` of @hono/node-server's `getRequestListener`: a request it cannot turn
 * into a `Request` (an invalid URL, a backslash in the path) is answered 400 with the
 * contract instead of an empty text/plain 400; anything else thrown before Hono runs is a
 * contract 500. It sees no request, so its ids are new ones: `createNodeServer` from
 * `@apifault/server/hono/node` answers those requests with the caller's ids.
 *
 * @example createServer(getRequestListener(app.fetch, { errorHandler: requestErrorHandler(opts) }))
 */
export function requestErrorHandler(
  options: ApifaultOptions | ResolvedOptions = {},
): (error: unknown) => Response {
  const resolved = pipelineOf(options, HONO).options;
  return (error) => {
    const refused = error instanceof Error && error.name === 'RequestError';
    const rendered = renderError(
      refused ? badRequest('The request target is not a valid URL.') : error,
      { options: resolved },
    );
    return new Response(rendered.json, { status: rendered.status, headers: rendered.headers });
  };
}
