/** The in-memory store: counts live in this process (rate-limiter-flexible's RateLimiterMemory). */

import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { RateLimitStore, WindowCounter, WindowCounterOptions } from './types.js';

/**
 * A store for a single process. Counts are lost on restart and not shared between processes;
 * use {@link redisStore} for a fleet.
 *
 * @example createRateLimiter({ store: memoryStore(), failure: 'open', policies: [...] })
 */
export function memoryStore(): RateLimitStore {
  return {
    kind: 'memory',
    createCounter(options: WindowCounterOptions): WindowCounter {
      return new RateLimiterMemory({
        points: options.limit,
        duration: options.windowSeconds,
        keyPrefix: options.keyPrefix,
      });
    },
    close: async () => {},
  };
}
