/** 429: rate limiting by policies (key, cost, several windows) on a memory or Redis store. */

export {
  formatLimitItem,
  formatPolicyItem,
  RATE_LIMIT_HEADER,
  RATE_LIMIT_POLICY_HEADER,
} from './headers.js';
export { createRateLimiter } from './limiter.js';
export { memoryStore } from './memory-store.js';
export {
  type ConnectRedisStoreOptions,
  connectRedisStore,
  type RedisClientLike,
  type RedisStore,
  type RedisStoreOptions,
  redisClientOptions,
  redisStore,
} from './redis-store.js';
export type {
  RateLimitDecision,
  RateLimiter,
  RateLimiterOptions,
  RateLimitLogger,
  RateLimitPolicy,
  RateLimitRequest,
  RateLimitStore,
  RateLimitWindow,
  WindowCounter,
  WindowCounterOptions,
  WindowUsage,
} from './types.js';
