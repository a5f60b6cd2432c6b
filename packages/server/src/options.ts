/** The options shared by every adapter, and their resolution into a ready-to-use form. */

import { DEFAULT_REALM } from '@apifault/contract';
import type { AuthOptions } from './auth/types.js';
import type { LoadShedder } from './availability/load-shedding.js';
import type { MaintenanceCheck } from './availability/maintenance.js';
import type { IdempotencyOptions } from './idempotency/types.js';
import type { Exchange } from './pipeline/exchange.js';
import type { Stage } from './pipeline/stages.js';
import { type TargetLimits, type TargetOptions, targetLimits } from './pipeline/target.js';
import type { RateLimiter } from './rate-limit/types.js';
import type { ErrorRecognizer } from './render/classify.js';
import type { RenderedError } from './render/render.js';
import type { HeadersRecord } from './request-ids/index.js';

/** A pino-compatible logger: only the methods apifault calls. */
export interface Logger {
  /** Logs a failure the caller did not cause (5xx, unexpected errors). */
  error(obj: object, msg?: string): void;
  /** Logs something odd but handled. */
  warn(obj: object, msg?: string): void;
  /** Logs routine information. */
  info(obj: object, msg?: string): void;
}

/** Options common to the whole server, accepted by every adapter. */
export interface ApifaultOptions {
  /**
   * The `source` of every error body: the service's name.
   * @default 'apifault'
   */
  source?: string;
  /**
   * Where unexpected errors are logged (with the request and correlation ids).
   * @default a silent logger
   */
  logger?: Logger;
  /**
   * The realm of the `WWW-Authenticate: OAuth realm=…` challenge sent with every 401.
   * @default 'urn:cpsvc:cpid:apifault'
   */
  realm?: string;
  /**
   * Whether the description an application gave a 5xx error is shown to the caller.
   * @default false
   */
  exposeServerErrors?: boolean;
  /**
   * Whether requests whose `Accept` excludes `application/json` are answered 406.
   * @default true
   */
  checkAccept?: boolean;
  /**
   * The media types besides `application/json` that a request's route answers in: a request
   * whose `Accept` admits one of them passes the `accept` stage (its errors are still JSON).
   * Called before routing, with the exchange; return nothing for a JSON-only route.
   * @default none: every route answers JSON
   * @example produces: (ex) => (ex.path === '/events' ? ['text/event-stream'] : undefined)
   */
  produces?(exchange: Exchange): readonly string[] | undefined;
  /** Bearer-token authentication and authorization (401/403). @default none */
  auth?: AuthOptions;
  /**
   * The largest JSON body accepted, in bytes; a larger one is answered 413.
   * @default 1048576 (1 MiB)
   */
  bodyLimit?: number;
  /**
   * How long a request body may take to arrive, in milliseconds; slower is answered 408.
   * @default 10000
   */
  bodyTimeoutMs?: number;
  /**
   * The `Cache-Control` of error responses (`false` to send none).
   * @default 'no-store'
   */
  cacheControl?: string | false;
  /**
   * The `Retry-After` (seconds) put on a 429 that was thrown without one.
   * @default 1
   */
  defaultRetryAfter?: number;
  /** Maintenance mode (503 + `Retry-After`), checked first on every request. @default none */
  maintenance?: MaintenanceCheck;
  /** Load shedding (503 when overloaded), checked first on every request. @default none */
  loadShedding?: LoadShedder;
  /**
   * The rate limiter every request passes after authentication (429, `RateLimit` headers).
   * Its key functions receive the exchange, `principal` included.
   * @default none
   */
  rateLimit?: RateLimiter<Exchange>;
  /**
   * `MS-RequestId` as the idempotency key of unsafe requests: the first request with a key
   * runs, a repeat replays its stored answer (409 while it runs, 409 when the key named
   * another request). `true` for the defaults (an in-memory store).
   * @default none
   * @example idempotency: { store: redisIdempotencyStore({ client: redis }), failure: 'closed' }
   */
  idempotency?: IdempotencyOptions | boolean;
  /** Limits of the path policy (400 beyond them). @default 4096 per path, 1024 per segment */
  paths?: TargetOptions;
  /**
   * The application's own stages, each placed before or after a named point of the
   * pipeline (see `STAGE_POINTS`).
   * @default none
   * @example stages: [{ name: 'faults', after: 'availability', run: (ex) => injectFault(ex) }]
   */
  stages?: readonly Stage[];
  /**
   * Maps any error before it is rendered: gives the service's own codes to the toolkit's
   * errors (a 401 of the auth stage, a 400 of the body reader). Returns what to render.
   * @default the error as it is
   */
  onError?(error: unknown, exchange: Exchange): unknown;
  /**
   * The last say over an error response, after `onError` and rendering, before it is
   * written: returns what to send (`status`, `headers`, and `json`, the bytes written). For a
   * service that must answer some status in another wire format than the contract's, as an
   * emulator mimicking a real service's throttling body does. If it throws, the contract
   * response is sent (and the failure logged).
   * @default the contract response as rendered
   * @example onRender: (r) => (r.status === 429 ? { ...r, json: '{"statusCode":429}' } : r)
   */
  onRender?(rendered: RenderedError, exchange: Exchange): RenderedError;
  /**
   * Headers every response carries, successes, errors and the answers written on the raw
   * socket to unparseable requests alike (a server id, a correlation vector). Called once per
   * response with the request's headers (none for an unparseable request).
   * @default none
   * @example responseHeaders: (headers) => ({ 'MS-ServerId': SERVER_ID })
   */
  responseHeaders?(requestHeaders: HeadersRecord): Record<string, string>;
  /**
   * Recognisers of other libraries' errors, tried after the adapter's own.
   * @default none (Boom and http-errors shapes are always recognised)
   */
  recognizers?: readonly ErrorRecognizer[];
}

/** {@link ApifaultOptions} with every default applied; built once per adapter. */
export interface ResolvedOptions {
  readonly source: string;
  readonly logger: Logger;
  readonly realm: string;
  readonly exposeServerErrors: boolean;
  readonly checkAccept: boolean;
  readonly produces: ((exchange: Exchange) => readonly string[] | undefined) | undefined;
  readonly auth: AuthOptions | undefined;
  readonly bodyLimit: number;
  readonly bodyTimeoutMs: number;
  readonly cacheControl: string | undefined;
  readonly defaultRetryAfter: string;
  readonly maintenance: MaintenanceCheck | undefined;
  readonly loadShedding: LoadShedder | undefined;
  readonly rateLimit: RateLimiter<Exchange> | undefined;
  readonly idempotency: IdempotencyOptions | undefined;
  readonly target: TargetLimits;
  readonly stages: readonly Stage[];
  readonly onError: ((error: unknown, exchange: Exchange) => unknown) | undefined;
  readonly onRender: ((rendered: RenderedError, exchange: Exchange) => RenderedError) | undefined;
  readonly recognizers: readonly ErrorRecognizer[];
  readonly responseHeaders: ((requestHeaders: HeadersRecord) => Record<string, string>) | undefined;
}

const noop = (): void => {};

/** A logger that drops everything: the default. */
export const silentLogger: Logger = Object.freeze({ error: noop, warn: noop, info: noop });

const RESOLVED = Symbol('apifault.resolved');
const cache = new WeakMap<object, ResolvedOptions>();

function clean(value: string, fallback: string): string {
  // Options end up in headers and bodies: no control characters there.
  const text = value.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return text === '' ? fallback : text.slice(0, 256);
}

/**
 * Applies the defaults of {@link ApifaultOptions}. The result is cached per options
 * object, so adapters may call it freely.
 */
export function resolveOptions(options: ApifaultOptions | ResolvedOptions = {}): ResolvedOptions {
  if ((options as { [RESOLVED]?: true })[RESOLVED]) return options as ResolvedOptions;
  const cached = cache.get(options);
  if (cached) return cached;
  const o = options as ApifaultOptions;
  const limit = o.bodyLimit;
  const timeout = o.bodyTimeoutMs;
  const retryAfter = o.defaultRetryAfter;
  const resolved: ResolvedOptions = {
    source: clean(o.source ?? '', 'apifault'),
    logger: o.logger ?? silentLogger,
    realm: clean(o.realm ?? '', DEFAULT_REALM),
    exposeServerErrors: o.exposeServerErrors === true,
    checkAccept: o.checkAccept !== false,
    produces: o.produces,
    auth: o.auth,
    bodyLimit: typeof limit === 'number' && limit >= 0 ? Math.floor(limit) : 1024 * 1024,
    bodyTimeoutMs: typeof timeout === 'number' && timeout > 0 ? timeout : 10_000,
    cacheControl:
      o.cacheControl === false ? undefined : clean(o.cacheControl ?? 'no-store', 'no-store'),
    defaultRetryAfter: String(
      typeof retryAfter === 'number' && retryAfter >= 1 ? Math.ceil(retryAfter) : 1,
    ),
    maintenance: o.maintenance,
    loadShedding: o.loadShedding,
    rateLimit: o.rateLimit,
    idempotency: o.idempotency === true ? {} : o.idempotency === false ? undefined : o.idempotency,
    target: targetLimits(o.paths),
    stages: [...(o.stages ?? [])],
    onError: o.onError?.bind(o),
    onRender: o.onRender?.bind(o),
    recognizers: [...(o.recognizers ?? [])],
    responseHeaders: o.responseHeaders?.bind(o),
  };
  Object.defineProperty(resolved, RESOLVED, { value: true });
  Object.freeze(resolved);
  cache.set(options, resolved);
  return resolved;
}
