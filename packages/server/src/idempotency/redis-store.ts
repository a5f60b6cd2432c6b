/**
 * The Redis idempotency store: claims and answers shared by every process on one Redis, each
 * step one Lua script (atomic on the server), through the application's ioredis client.
 */

import { randomUUID } from 'node:crypto';
import type { ClaimResult, Fingerprint, IdempotencyRecord, IdempotencyStore } from './types.js';

/**
 * The part of an ioredis client the store uses: `defineCommand` (the scripts run as EVALSHA)
 * and the commands it defines. Any ioredis 5 `Redis` fits.
 */
export interface IdempotencyRedisClient {
  defineCommand(name: string, definition: { numberOfKeys?: number; lua: string }): void;
}

/** Options of {@link redisIdempotencyStore}. */
export interface RedisIdempotencyStoreOptions {
  /**
   * The application's ioredis client; the store never closes it. Create it with
   * `redisClientOptions` so that an outage fails requests at once (the stage's `failure`).
   */
  readonly client: IdempotencyRedisClient;
  /** Prefix of every key the store writes. @default 'apifault:idem' */
  readonly keyPrefix?: string;
}

// A key holds `r|<token>|<fingerprint JSON>` while its request runs, `d|<record JSON>` after.
const TOKEN_LENGTH = 36;

/** Claims a free key for ARGV[2] ms; else returns what the key holds. */
export const CLAIM_SCRIPT = `
local held = redis.call('GET', KEYS[1])
if held then return held end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

/** Stores the answer when ARGV[1] (`r|<token>|`) still holds the key. */
const COMPLETE_SCRIPT = `
local held = redis.call('GET', KEYS[1])
if held and string.sub(held, 1, #ARGV[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

/** Frees the key when ARGV[1] (`r|<token>|`) still holds it. */
const RELEASE_SCRIPT = `
local held = redis.call('GET', KEYS[1])
if held and string.sub(held, 1, #ARGV[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

type Command = (key: string, ...args: (string | number)[]) => Promise<string | number | null>;

interface SerializedRecord {
  f: Fingerprint;
  s: number;
  h: Record<string, string>;
  b: string;
}

/** What a key holds, as a claim result (`undefined`: the key was free and is now claimed). */
function held(value: string): ClaimResult {
  if (value.startsWith('r|')) {
    return { kind: 'in-progress', fingerprint: JSON.parse(value.slice(3 + TOKEN_LENGTH)) };
  }
  const record = JSON.parse(value.slice(2)) as SerializedRecord;
  return {
    kind: 'completed',
    record: {
      fingerprint: record.f,
      response: { status: record.s, headers: record.h, body: Buffer.from(record.b, 'base64') },
    },
  };
}

function serialize(record: IdempotencyRecord): string {
  const { response } = record;
  const body = Buffer.from(
    response.body.buffer,
    response.body.byteOffset,
    response.body.byteLength,
  );
  const value: SerializedRecord = {
    f: record.fingerprint,
    s: response.status,
    h: { ...response.headers },
    b: body.toString('base64'),
  };
  return `d|${JSON.stringify(value)}`;
}

/**
 * A store shared by every process on one Redis: exactly one of concurrent claims of a key
 * wins, whichever process sent it, and only its holder can complete or release it.
 *
 * @example
 * const redis = new Redis(process.env.REDIS_URL, redisClientOptions);
 * createApp({ idempotency: { store: redisIdempotencyStore({ client: redis }) } });
 */
export function redisIdempotencyStore(options: RedisIdempotencyStoreOptions): IdempotencyStore {
  const client = options?.client as
    | (IdempotencyRedisClient & Record<string, Command | unknown>)
    | undefined;
  if (typeof client?.defineCommand !== 'function') {
    throw new TypeError('redisIdempotencyStore: options.client must be an ioredis client');
  }
  const prefix = options.keyPrefix ?? 'apifault:idem';
  client.defineCommand('apifaultIdemClaim', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
  client.defineCommand('apifaultIdemComplete', { numberOfKeys: 1, lua: COMPLETE_SCRIPT });
  client.defineCommand('apifaultIdemRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  const claimCommand = client['apifaultIdemClaim'] as Command;
  const completeCommand = client['apifaultIdemComplete'] as Command;
  const releaseCommand = client['apifaultIdemRelease'] as Command;
  const keyOf = (scope: string, key: string): string => `${prefix}:${scope.length}:${scope}:${key}`;

  return {
    async claim(scope, key, fingerprint, leaseMs) {
      const token = randomUUID();
      const value = `r|${token}|${JSON.stringify(fingerprint)}`;
      const found = await claimCommand.call(client, keyOf(scope, key), value, leaseMs);
      return typeof found === 'string' ? held(found) : { kind: 'claimed', token };
    },
    async complete(scope, key, token, record, ttlMs) {
      await completeCommand.call(
        client,
        keyOf(scope, key),
        `r|${token}|`,
        serialize(record),
        ttlMs,
      );
    },
    async release(scope, key, token) {
      await releaseCommand.call(client, keyOf(scope, key), `r|${token}|`);
    },
  };
}
