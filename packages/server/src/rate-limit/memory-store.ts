/** The in-memory store: counts live in this process (rate-limiter-flexible's RateLimiterMemory). */

import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { RateLimitStore, WindowCounter, WindowCounterOptions, WindowUsage } from './types.js';

/** The part of the library's in-process storage the counter reads; not in its typings. */
interface CountStorage {
  incrby(key: string, points: number, durationSeconds: number): WindowUsage;
}

function storageOf(limiter: RateLimiterMemory): CountStorage | undefined {
  const storage = (limiter as unknown as { _memoryStorage?: Partial<CountStorage> })._memoryStorage;
  return typeof storage?.incrby === 'function' ? (storage as CountStorage) : undefined;
}

/**
 * A window counter on RateLimiterMemory. Its counts live in a Map of this process, so they
 * can be read without waiting for a promise turn: `consumeNow` adds the points to the very
 * storage `consume` uses, with the same key and duration, and answers at once. A promise and
 * a reaction per request are a fifth of the cost of a decision, so the limiter takes this way
 * when it can. Should a future release of the library store its counts elsewhere,
 * `consumeNow` is left undefined and the limiter goes through `consume`, as for any store.
 */
function memoryCounter(options: WindowCounterOptions): WindowCounter {
  const limiter = new RateLimiterMemory({
    points: options.limit,
    duration: options.windowSeconds,
    keyPrefix: options.keyPrefix,
  });
  const storage = storageOf(limiter);
  const counter: WindowCounter = {
    consume: (key, points) => limiter.consume(key, points),
    reward: (key, points) => limiter.reward(key, points),
  };
  if (storage === undefined) return counter;
  const { windowSeconds } = options;
  return {
    ...counter,
    consumeNow: (key, points) => storage.incrby(limiter.getKey(key), points, windowSeconds),
  };
}

/**
 * A store for a single process. Counts are lost on restart and not shared between processes;
 * use {@link redisStore} for a fleet.
 *
 * @example createRateLimiter({ store: memoryStore(), failure: 'open', policies: [...] })
 */
export function memoryStore(): RateLimitStore {
  return {
    kind: 'memory',
    createCounter: memoryCounter,
    close: async () => {},
  };
}
