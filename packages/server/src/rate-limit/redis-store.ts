/**
 * The Redis store: counts shared by every process that uses the same Redis, through
 * rate-limiter-flexible's RateLimiterRedis (its atomic Lua increment) on an ioredis client.
 * ioredis is an optional peer dependency: it is loaded only when the store is given a URL.
 */

import { createRequire } from 'node:module';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { RateLimitStore, WindowCounter, WindowCounterOptions } from './types.js';

/**
 * The part of an ioredis client the store relies on. Any `ioredis` 5 `Redis` instance fits;
 * the type is structural so that users without ioredis need not install its types.
 */
export interface RedisClientLike {
  /** ioredis's connection state (`ready` when commands can run). */
  readonly status: string;
  /** Defines a Lua command (rate-limiter-flexible defines its increment this way). */
  defineCommand(name: string, definition: { numberOfKeys?: number; lua: string }): void;
  /** Closes the connection gracefully. */
  quit(): Promise<unknown>;
  /** Closes the connection at once. */
  disconnect(): void;
  /** Subscribes to connection events. */
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  /** Unsubscribes from connection events. */
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * ioredis options that make a rate-limit client fail fast while Redis is unreachable, so the
 * limiter can fail open or closed at once, and reconnect forever, so it recovers without a
 * restart. Pass them when you create your own client for {@link redisStore}.
 */
export const redisClientOptions = {
  /** Commands issued while disconnected fail at once instead of queueing. */
  enableOfflineQueue: false,
  /** A command caught by a disconnection fails after one reconnection attempt. */
  maxRetriesPerRequest: 1,
  /** A Redis that hangs (rather than closes) fails the command after this many ms. */
  commandTimeout: 1000,
  /** Give up a connection attempt after this many ms. */
  connectTimeout: 2000,
  /** Keep reconnecting, backing off from 100 ms to 1 s: never give up. */
  retryStrategy: (times: number): number => Math.min(50 * 2 ** Math.min(times, 5), 1000),
} as const;

/** Options of {@link redisStore}: the application's client, or a URL to connect to. */
export type RedisStoreOptions =
  | {
      /**
       * The application's ioredis client; the store never closes it. Create it with
       * {@link redisClientOptions} so that an outage is detected at once.
       */
      readonly client: RedisClientLike;
    }
  | {
      /** A Redis URL, e.g. `redis://127.0.0.1:6379/0`: the store loads ioredis and owns the client. */
      readonly url: string;
      /** Extra ioredis options, merged over {@link redisClientOptions}. @default {} */
      readonly redisOptions?: Record<string, unknown>;
    };

/** A Redis store: a {@link RateLimitStore} that can say when its client is connected. */
export interface RedisStore extends RateLimitStore {
  /** The ioredis client, once loaded (at once when the application passed it). */
  readonly client: RedisClientLike | undefined;
  /**
   * Resolves when the client is ready, or after `timeoutMs` either way (an unreachable Redis
   * is the limiter's `failure` choice to handle). Rejects only when ioredis cannot be loaded.
   */
  ready(timeoutMs?: number): Promise<void>;
}

// How long requests made while a URL store is starting wait for its first connection.
const STARTUP_WAIT_MS = 2000;

type RedisConstructor = new (url: string, options: Record<string, unknown>) => RedisClientLike;

function counterOn(client: RedisClientLike, options: WindowCounterOptions): WindowCounter {
  return new RateLimiterRedis({
    storeClient: client,
    points: options.limit,
    duration: options.windowSeconds,
    keyPrefix: options.keyPrefix,
    // Fail at once while the connection is down rather than waiting on ioredis.
    rejectIfRedisNotReady: true,
  });
}

function whenReady(client: RedisClientLike, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    timer.unref();
    client.on('ready', done);
  });
}

function isClient(value: unknown): value is RedisClientLike {
  const client = value as Partial<RedisClientLike> | null;
  return (
    typeof client === 'object' &&
    client !== null &&
    typeof client.defineCommand === 'function' &&
    typeof client.status === 'string'
  );
}

function storeOnClient(client: RedisClientLike): RedisStore {
  return {
    kind: 'redis',
    client,
    createCounter: (options) => counterOn(client, options),
    ready: (timeoutMs = 2000) => whenReady(client, timeoutMs),
    close: async () => {},
  };
}

function storeOnUrl(url: string, redisOptions: Record<string, unknown> | undefined): RedisStore {
  // Fail at creation, not on the first request, when the optional peer is missing.
  try {
    createRequire(import.meta.url).resolve('ioredis');
  } catch (cause) {
    throw new Error('redisStore({ url }) needs the ioredis package: npm install ioredis', {
      cause,
    });
  }
  let client: RedisClientLike | undefined;
  let closed = false;
  const loading = import('ioredis').then((module) => {
    const Redis = (module as unknown as { Redis: RedisConstructor }).Redis;
    const created = new Redis(url, { ...redisClientOptions, ...redisOptions });
    // Outages are reported by the limiter; without a listener ioredis prints every error.
    created.on('error', () => {});
    if (closed) created.disconnect();
    client = created;
    return created;
  });
  // A failed load surfaces on each request (and in ready()); never as an unhandled rejection.
  loading.catch(() => {});
  // Requests that arrive while the store is starting wait (bounded) for the first connection
  // instead of being handled as an outage; afterwards they go straight to Redis.
  const started = loading.then(async (loaded) => {
    await whenReady(loaded, STARTUP_WAIT_MS);
    return loaded;
  });
  started.catch(() => {});
  return {
    kind: 'redis',
    get client() {
      return client;
    },
    createCounter(options) {
      let counter: WindowCounter | undefined;
      const counterReady = (): Promise<WindowCounter> =>
        started.then((loaded) => {
          counter ??= counterOn(loaded, options);
          return counter;
        });
      return {
        consume: (key, points) =>
          counter
            ? counter.consume(key, points)
            : counterReady().then((c) => c.consume(key, points)),
        reward: (key, points) =>
          counter ? counter.reward(key, points) : counterReady().then((c) => c.reward(key, points)),
      };
    },
    ready: (timeoutMs = 2000) => loading.then((loaded) => whenReady(loaded, timeoutMs)),
    async close() {
      closed = true;
      const loaded = await loading.catch(() => undefined);
      if (!loaded) return;
      try {
        await loaded.quit();
      } catch {
        loaded.disconnect();
      }
    },
  };
}

/**
 * A store shared by many processes. Give it the application's ioredis client (the store never
 * closes it), or a URL: the store then loads ioredis (an optional peer dependency), connects
 * with {@link redisClientOptions}, and `close()` quits that connection.
 *
 * @example
 * import { Redis } from 'ioredis';
 * const store = redisStore({ client: new Redis(process.env.REDIS_URL, redisClientOptions) });
 * @example const store = redisStore({ url: 'redis://127.0.0.1:6379' });
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  if (options !== null && typeof options === 'object' && 'url' in options) {
    if (typeof options.url !== 'string' || options.url === '') {
      throw new TypeError(
        'redisStore: options.url must be a Redis URL such as redis://127.0.0.1:6379',
      );
    }
    return storeOnUrl(options.url, options.redisOptions);
  }
  const client = (options as { client?: unknown } | null | undefined)?.client;
  if (!isClient(client)) {
    throw new TypeError(
      'redisStore: options.client must be an ioredis client instance (or give options.url)',
    );
  }
  return storeOnClient(client);
}

/** Options of {@link connectRedisStore}. */
export interface ConnectRedisStoreOptions {
  /** The Redis URL, e.g. `redis://127.0.0.1:6379/0`. */
  readonly url: string;
  /** Extra ioredis options, merged over {@link redisClientOptions}. @default {} */
  readonly redisOptions?: Record<string, unknown>;
  /**
   * How long to wait for the first connection, in ms. The store is returned either way: an
   * unreachable Redis is then handled by the limiter's `failure` choice.
   * @default 2000
   */
  readonly readyTimeoutMs?: number;
}

/**
 * `redisStore({ url })`, then waits (bounded) for the first connection, so the first requests
 * are counted rather than handled as an outage.
 *
 * @example const store = await connectRedisStore({ url: 'redis://127.0.0.1:6379' });
 */
export async function connectRedisStore(
  options: ConnectRedisStoreOptions,
): Promise<RedisStore & { readonly client: RedisClientLike }> {
  const store = redisStore(
    options?.redisOptions === undefined
      ? { url: options?.url }
      : { url: options.url, redisOptions: options.redisOptions },
  );
  await store.ready(options.readyTimeoutMs ?? 2000);
  return store as RedisStore & { readonly client: RedisClientLike };
}
