/** The public types of the rate limiter: requests, policies, windows, stores and options. */

/**
 * The plain view of a request the limiter reads. Adapters build it from their framework's
 * request; applications add whatever their key and cost functions read (a verified tenant
 * id, the client IP …) by widening the type parameter of {@link createRateLimiter}.
 *
 * @example
 * type Req = RateLimitRequest & { tenantId: string | undefined; ip: string };
 */
export interface RateLimitRequest {
  /** The request method, upper-case (`GET`, `POST` …). */
  readonly method: string;
  /** The request path, without the query string. */
  readonly path: string;
  /** The request headers, names in lower case. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** One window of a policy: at most `limit` points per `windowSeconds`. */
export interface RateLimitWindow {
  /** Points allowed in one window: a positive integer. */
  readonly limit: number;
  /** Length of the window in seconds: a positive integer. Windows are fixed, not sliding. */
  readonly windowSeconds: number;
  /**
   * The name this window carries in the `RateLimit` and `RateLimit-Policy` headers and in
   * the store's keys: letters, digits, `_`, `-`, `.`, starting with a letter, unique across
   * the limiter.
   * @default the policy's name when the policy has one window, else `${policy}-${windowSeconds}s`
   */
  readonly name?: string;
}

/**
 * A rate-limit policy: which requests count together (the key), how much each costs, and the
 * windows that bound them. A request passes a policy only when every window admits it.
 *
 * @example
 * { name: 'tenant', key: (req) => req.tenantId, cost: (req) => (req.method === 'GET' ? 1 : 5),
 *   windows: [{ limit: 100, windowSeconds: 10 }, { limit: 1000, windowSeconds: 3600 }] }
 */
export interface RateLimitPolicy<Req extends RateLimitRequest = RateLimitRequest> {
  /** The policy's name (same syntax as a window's `name`). */
  readonly name: string;
  /**
   * What requests are counted together: a partner tenant, a tenant + customer pair, a client
   * IP … `undefined` means the policy does not apply to this request.
   */
  readonly key: (req: Req) => string | undefined;
  /**
   * Points one request costs: a positive integer, or a function of the request (writes can
   * cost more than reads). A cost above a window's limit is a configuration error.
   * @default 1
   */
  readonly cost?: number | ((req: Req) => number);
  /** One window or more, all enforced at once (e.g. 100 per 10 s and 1000 per hour). */
  readonly windows: readonly RateLimitWindow[];
}

/** What a window's counter reports after a take: the points counted so far and the wait. */
export interface WindowUsage {
  /** Points counted in the current window, including this take. */
  readonly consumedPoints: number;
  /** Milliseconds until the current window ends. */
  readonly msBeforeNext: number;
}

/**
 * The counter of one window in a store. `consume` resolves with the usage, or rejects with
 * the usage (not an `Error`) when the window is over its limit, or with an `Error` when the
 * store cannot be reached. rate-limiter-flexible's limiters have exactly this shape.
 */
export interface WindowCounter {
  /** Adds `points` to `key`'s count in the current window. */
  consume(key: string, points: number): Promise<WindowUsage>;
  /** Takes `points` back from `key`'s count (used to refund refused requests). */
  reward(key: string, points: number): Promise<unknown>;
  /**
   * What `consume` does, answered at once, for a store whose counts live in this process:
   * returns the usage whether or not the window is over its limit (the limiter compares it
   * with the limit). Optional; the limiter uses it in place of `consume` when present.
   */
  consumeNow?(key: string, points: number): WindowUsage;
}

/** What a store needs to make the counter of one window. */
export interface WindowCounterOptions {
  /** Prefix of every key of this window, unique per window. */
  readonly keyPrefix: string;
  /** Points allowed in one window. */
  readonly limit: number;
  /** Length of the window in seconds. */
  readonly windowSeconds: number;
}

/** Where counts live: {@link memoryStore} for one process, {@link redisStore} for many. */
export interface RateLimitStore {
  /** The store's kind, for logs (`memory`, `redis`). */
  readonly kind: string;
  /** Makes the counter of one window. */
  createCounter(options: WindowCounterOptions): WindowCounter;
  /** Releases what the store opened itself (never a client the application passed in). */
  close(): Promise<void>;
}

/** The pino-compatible subset of a logger the limiter uses. */
export interface RateLimitLogger {
  /** Logs the start of a store outage (once per outage). */
  warn(obj: Record<string, unknown>, msg: string): void;
  /** Logs the end of a store outage. */
  info(obj: Record<string, unknown>, msg: string): void;
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions<Req extends RateLimitRequest = RateLimitRequest> {
  /**
   * Where counts live: `'memory'` (same as `memoryStore()`), `memoryStore()`, or
   * `redisStore({ client })` / `await connectRedisStore({ url })` to share counts between
   * processes.
   */
  readonly store: RateLimitStore | 'memory';
  /** The policies; every policy whose key is defined for a request applies to it. */
  readonly policies: readonly RateLimitPolicy<Req>[];
  /**
   * What to do when the store cannot be reached: `'open'` admits requests without limits
   * (logging once per outage), `'closed'` answers 503 with `Retry-After`.
   */
  readonly failure: 'open' | 'closed';
  /** Receives one warning when the store becomes unreachable and one note when it returns. @default silent */
  readonly logger?: RateLimitLogger;
  /** `Retry-After` of the 503 sent while the store is unreachable and `failure` is `'closed'`, in seconds. @default 5 */
  readonly retryAfterOnFailure?: number;
  /** Prefix of every key the limiter stores, so several limiters can share one Redis. @default 'apifault-rl' */
  readonly keyPrefix?: string;
}

/** The answer for an admitted request. */
export interface RateLimitDecision {
  /**
   * Headers to set on the response: `RateLimit-Policy` and `RateLimit` for the policies that
   * applied; only `RateLimit-Policy` while the store is unreachable and `failure` is
   * `'open'`; none when no policy applied.
   */
  readonly headers: Record<string, string>;
}

/** A configured rate limiter. */
export interface RateLimiter<Req extends RateLimitRequest = RateLimitRequest> {
  /**
   * Counts `req` against every applicable policy. Resolves with the headers to set when the
   * request is admitted; rejects with a 429 `ApiError` (with `Retry-After`, `RateLimit` and
   * `RateLimit-Policy`) when a window refuses it, or with a 503 `ApiError` when the store is
   * unreachable and `failure` is `'closed'`.
   */
  consume(req: Req): Promise<RateLimitDecision>;
  /** The `RateLimit-Policy` value listing every window of every policy. */
  readonly policyHeader: string;
  /** Closes the store (see {@link RateLimitStore.close}). */
  close(): Promise<void>;
}
