/**
 * The Redis store: counts shared by every process that uses the same Redis, through
 * rate-limiter-flexible's RateLimiterRedis (its atomic Lua increment) on an ioredis client.
 * ioredis is an optional peer dependency: it is only loaded by {@link connectRedisStore}.
 */

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
  /** Keep reconnecting, backing off from 50 ms to 1 s: never give up. */
  retryStrategy: (times: number): number => Math.min(50 * 2 ** Math.min(times, 5), 1000),
} as const;

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * The application's ioredis client; the store never closes it. Create it with
   * {@link redisClientOptions} so that an outage is detected at once.
   */
  readonly client: RedisClientLike;
}

function makeStore(
  client: RedisClientLike,
  owned: boolean,
): RateLimitStore & { client: RedisClientLike } {
  return {
    kind: 'redis',
    client,
    createCounter(options: WindowCounterOptions): WindowCounter {
      return new RateLimiterRedis({
        storeClient: client,
        points: options.limit,
        duration: options.windowSeconds,
        keyPrefix: options.keyPrefix,
        // Fail at once while the connection is down rather than waiting on ioredis.
        rejectIfRedisNotReady: true,
      });
    },
    async close() {
      if (!owned) return;
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}

/**
 * A store shared by many processes through the application's ioredis client.
 *
 * @example
 * import { Redis } from 'ioredis';
 * const store = redisStore({ client: new Redis(process.env.REDIS_URL, redisClientOptions) });
 */
export function redisStore(options: RedisStoreOptions): RateLimitStore {
  const client = options?.client;
  if (
    client === null ||
    typeof client !== 'object' ||
    typeof client.defineCommand !== 'function' ||
    typeof client.status !== 'string'
  ) {
    throw new TypeError('redisStore: options.client must be an ioredis client instance');
  }
  return makeStore(client, false);
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
 * Loads ioredis (an optional peer dependency), connects to `url` with
 * {@link redisClientOptions}, and returns a store that owns the client (`close()` quits it).
 *
 * @example const store = await connectRedisStore({ url: 'redis://127.0.0.1:6379' });
 */
export async function connectRedisStore(
  options: ConnectRedisStoreOptions,
): Promise<RateLimitStore & { readonly client: RedisClientLike }> {
  if (typeof options?.url !== 'string' || options.url === '') {
    throw new TypeError(
      'connectRedisStore: options.url must be a Redis URL such as redis://127.0.0.1:6379',
    );
  }
  let Redis: new (url: string, options: Record<string, unknown>) => RedisClientLike;
  try {
    ({ Redis } = (await import('ioredis')) as unknown as { Redis: typeof Redis });
  } catch (cause) {
    throw new Error('connectRedisStore needs the ioredis package: npm install ioredis', { cause });
  }
  const client = new Redis(options.url, { ...redisClientOptions, ...options.redisOptions });
  // Outages are reported by the limiter; without a listener ioredis would print each error.
  client.on('error', () => {});
  const readyTimeoutMs = options.readyTimeoutMs ?? 2000;
  if (client.status !== 'ready') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, readyTimeoutMs);
      timer.unref();
      client.on('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  return makeStore(client, true);
}
