/** The Hono 4 adapter: middleware, `onError` and `notFound` with 405 + Allow from `app.routes`; Web APIs only, so it runs on any Fetch runtime. */

import { badRequest } from '@apifault/contract';
import type { Context, ErrorHandler, MiddlewareHandler, NotFoundHandler } from 'hono';
import { readJsonRequest } from '../body/web.js';
import { type ApifaultOptions, type ResolvedOptions, resolveOptions } from '../options.js';
import { type RenderedError, renderError, renderParts } from '../render/index.js';
import {
  echoOrGenerateId,
  type HeadersRecord,
  type RequestIds,
  resolveRequestIds,
} from '../request-ids/index.js';
import { isStandardMethod, RouteTable } from '../routing/index.js';
import { admit, missParts, unknownMethodParts } from './pipeline.js';

/** What the adapter keeps per request, under `c.get('apifault')`. */
export interface ApifaultState extends RequestIds {
  /** What the auth verifier returned, when authentication is configured. */
  principal?: unknown;
  /** The options of the middleware, for {@link readJson}. */
  options: ResolvedOptions;
}

/** The Hono environment the adapter's variables live in. */
export interface ApifaultEnv {
  Variables: { apifault: ApifaultState };
}

// The request headers the mechanisms read; the rest are only copied when auth needs them.
const READ = [
  'accept',
  'accept-language',
  'x-locale',
  'ms-requestid',
  'ms-correlationid',
  'content-type',
  'authorization',
];

function headersOf(c: AnyContext, all: boolean): HeadersRecord {
  // On Node (@hono/node-server) the raw request's headers are already a plain record:
  // reading them avoids materialising a Fetch `Headers` for every request.
  const incoming = (c.env as { incoming?: { headers?: unknown } } | undefined)?.incoming;
  if (incoming && typeof incoming.headers === 'object' && incoming.headers !== null) {
    return incoming.headers as HeadersRecord;
  }
  const request = c.req.raw;
  const out: HeadersRecord = {};
  if (all) {
    request.headers.forEach((value, name) => {
      out[name] = value;
    });
    return out;
  }
  for (const name of READ) {
    const value = request.headers.get(name);
    if (value !== null) out[name] = value;
  }
  return out;
}

function toResponse(rendered: RenderedError): Response {
  return new Response(rendered.json, { status: rendered.status, headers: rendered.headers });
}

// biome-ignore lint/suspicious/noExplicitAny: a handler must fit any application's Env
type AnyContext = Context<any>;

function stateOf(c: AnyContext): ApifaultState | undefined {
  return c.get('apifault') as ApifaultState | undefined;
}

function idsOf(c: AnyContext, headers: HeadersRecord): RequestIds {
  // The middleware's state carries both ids already: no copy.
  return stateOf(c) ?? resolveRequestIds(headers);
}

function pathOf(c: AnyContext): string {
  return c.req.path;
}

interface OutgoingLike {
  setHeader(name: string, value: string): unknown;
  headersSent?: boolean;
}

/** Puts the ids on whatever response the handler builds. */
function stampIds(c: AnyContext, ids: RequestIds): void {
  // On Node (@hono/node-server) the ids go straight onto the outgoing message, which merges
  // them into the response it writes: a Fetch `Headers` per request costs more than the rest
  // of the adapter. Elsewhere, Hono's prepared headers carry them.
  const outgoing = (c.env as { outgoing?: OutgoingLike } | undefined)?.outgoing;
  if (outgoing && typeof outgoing.setHeader === 'function' && !outgoing.headersSent) {
    outgoing.setHeader('ms-requestid', ids.requestId);
    outgoing.setHeader('ms-correlationid', ids.correlationId);
    return;
  }
  c.header('ms-requestid', ids.requestId);
  c.header('ms-correlationid', ids.correlationId);
}

/**
 * The first middleware (`app.use('*', apifault())`): sets `MS-RequestId`/`MS-CorrelationId`
 * on the response, answers unknown methods 501, checks `Accept` (406) and runs bearer
 * authentication (401/403) when configured. Failures reach {@link onError}.
 */
export function apifault(options: ApifaultOptions | ResolvedOptions = {}): MiddlewareHandler {
  const resolved = resolveOptions(options);
  const proceed = (c: AnyContext, next: () => Promise<void>, state: ApifaultState) => {
    stampIds(c, state);
    // Hono hands only Error instances to onError; anything else thrown lands here.
    return next().then(undefined, (error: unknown) => {
      c.res = render(error, c, resolved);
    });
  };
  // Not an `async` function: an extra async frame and await per request showed in the
  // server's CPU per request. Hono awaits what it returns and catches what it throws alike.
  // On the success path it allocates the state and nothing else: no path, no request info.
  return function apifaultMiddleware(c, next) {
    const headers = headersOf(c, resolved.auth !== undefined);
    const state: ApifaultState = {
      requestId: echoOrGenerateId(headers['ms-requestid']),
      correlationId: echoOrGenerateId(headers['ms-correlationid']),
      options: resolved,
    };
    c.set('apifault', state);
    const method = c.req.method;
    if (!isStandardMethod(method)) {
      c.res = toResponse(
        renderParts(unknownMethodParts(method)!, {
          options: resolved,
          headers,
          requestId: state.requestId,
          correlationId: state.correlationId,
        }),
      );
      return DONE;
    }
    const admitted = admit(resolved, method, headers, c, pathOf);
    if (admitted === undefined) return proceed(c, next, state);
    return admitted.then((principal) => {
      state.principal = principal;
      return proceed(c, next, state);
    });
  };
}

const DONE: Promise<void> = Promise.resolve();

/**
 * The error handler (`app.onError(onError())`): renders anything thrown (ApiError,
 * HTTPException, anything) with the contract.
 */
export function onError(options: ApifaultOptions | ResolvedOptions = {}): ErrorHandler {
  const resolved = resolveOptions(options);
  return (error, c) => render(error, c, resolved);
}

function render(error: unknown, c: AnyContext, resolved: ResolvedOptions): Response {
  const headers = headersOf(c, false);
  const ids = idsOf(c, headers);
  return toResponse(
    renderError(error, {
      options: resolved,
      headers,
      requestId: ids.requestId,
      correlationId: ids.correlationId,
      method: c.req.method,
      path: pathOf(c),
    }),
  );
}

/** What {@link notFound} needs of the application: its registered routes. */
export interface RoutesSource {
  readonly routes: readonly { readonly method: string; readonly path: string }[];
}

/**
 * The not-found handler (`app.notFound(notFound(app))`): 405 with `Allow` when the path is
 * registered with other methods (read from `app.routes`; middleware entries, method `ALL`,
 * do not count), 501 for unknown methods, else 404.
 */
export function notFound(
  app: RoutesSource,
  options: ApifaultOptions | ResolvedOptions = {},
): NotFoundHandler {
  const resolved = resolveOptions(options);
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
    let parts = unknownMethodParts(c.req.method);
    if (!parts) {
      const match = table.match(c.req.method, pathOf(c));
      parts = match.kind === 'found' ? missParts({ kind: 'not-found' }) : missParts(match);
    }
    const headers = headersOf(c, false);
    const ids = idsOf(c, headers);
    return toResponse(
      renderParts(parts, {
        options: resolved,
        headers,
        requestId: ids.requestId,
        correlationId: ids.correlationId,
      }),
    );
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
  const resolved = options ? resolveOptions(options) : (stateOf(c)?.options ?? resolveOptions());
  return readJsonRequest(c.req.raw, {
    limit: resolved.bodyLimit,
    timeoutMs: resolved.bodyTimeoutMs,
  }) as Promise<T>;
}

/**
 * The `errorHandler` of @hono/node-server's `getRequestListener`: a request it cannot turn
 * into a `Request` (asterisk-form or invalid URL, a backslash in the path) is answered 400
 * with the contract instead of an empty text/plain 400; anything else thrown before Hono
 * runs is a contract 500.
 *
 * @example createServer(getRequestListener(app.fetch, { errorHandler: requestErrorHandler(opts) }))
 */
export function requestErrorHandler(
  options: ApifaultOptions | ResolvedOptions = {},
): (error: unknown) => Response {
  const resolved = resolveOptions(options);
  return (error) => {
    const refused = error instanceof Error && error.name === 'RequestError';
    return toResponse(
      renderError(refused ? badRequest('The request target is not a valid URL.') : error, {
        options: resolved,
      }),
    );
  };
}
