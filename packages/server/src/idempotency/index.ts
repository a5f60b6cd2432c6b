/** `MS-RequestId` as the idempotency key of unsafe requests: the stage, its stores, what is stored. */

export { type MemoryIdempotencyStoreOptions, memoryIdempotencyStore } from './memory-store.js';
export {
  type IdempotencyRedisClient,
  type RedisIdempotencyStoreOptions,
  redisIdempotencyStore,
} from './redis-store.js';
export { isStoredStatus, REPLAYED_HEADER, STORED_HEADERS } from './stage.js';
export type {
  ClaimResult,
  Fingerprint,
  IdempotencyOptions,
  IdempotencyRecord,
  IdempotencyStore,
  ObservedResponse,
  StoredResponse,
} from './types.js';
