/** The Hono 4 adapter: Hono's context as the pipeline's exchange, its router for routing; Web APIs only, so it runs on any Fetch runtime. */

import { badRequest } from '@apifault/contract';
import type { ErrorHandler, MiddlewareHandler, NotFoundHandler } from 'hono';
import { readJsonRequest } from '../body/web.js';
import type { ApifaultOptions, ResolvedOptions } from '../options.js';
import { type AdapterParts, pipelineOf, routeMiss } from '../pipeline/index.js';
import { recognizeHttpException } from '../recognize/hono.js';
import { renderError } from '../render/index.js';
import { RouteTable } from '../routing/index.js';
import { type AnyContext, HonoExchange } from './hono-exchange.js';

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

const HONO: AdapterParts<HonoExchange> = { recognizers: [recognizeHttpException] };

function exchangeOf(c: AnyContext, options: ResolvedOptions): HonoExchange {
  const kept = c.get('apifault') as unknown;
  return kept instanceof HonoExchange ? kept : new HonoExchange(c, options);
}

/**
 * The first middleware (`app.use('*', apifault())`): sets `MS-RequestId`/`MS-CorrelationId`
 * and runs the pipeline's stages before routing. Failures reach {@link onError}; a thrown
 * value that is not an `Error` (which Hono does not hand to `onError`) is answered here.
 */
export function apifault(options: ApifaultOptions | ResolvedOptions = {}): MiddlewareHandler {
  const pipeline = pipelineOf(options, HONO).requireAdmissionOnly('Hono');
  const proceed = (c: AnyContext, next: () => Promise<void>, exchange: HonoExchange) =>
    next().then(
      () => {
        exchange.responded(c.res);
        exchange.closed();
      },
      (error: unknown) => {
        pipeline.fail(exchange, error);
        if (exchange.answer !== undefined) c.res = exchange.answer;
        exchange.responded(c.res);
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
    if (admitted === true) return proceed(c, next, exchange);
    if (admitted === false) return Promise.resolve(exchange.answer);
    // biome-ignore lint/suspicious/noConfusingVoidType: Hono's middleware answers Promise<Response | void>
    return admitted.then<Response | void>((ok) =>
      ok ? proceed(c, next, exchange) : exchange.answer,
    );
  };
}

/**
 * The error handler (`app.onError(onError())`): answers anything thrown (ApiError,
 * HTTPException, anything) with the pipeline.
 */
export function onError(options: ApifaultOptions | ResolvedOptions = {}): ErrorHandler {
  const pipeline = pipelineOf(options, HONO);
  return (error, c) => {
    const exchange = exchangeOf(c, pipeline.options);
    pipeline.fail(exchange, error);
    return exchange.answer ?? c.res;
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
    return exchange.answer ?? c.res;
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

export { stream, streamSSE, streamText } from './hono-streaming.js';
export { recognizeHttpException };
