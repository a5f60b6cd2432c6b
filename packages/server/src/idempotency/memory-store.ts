/** The in-process idempotency store: a bounded LRU of claims and answers, for one process. */

import type { ClaimResult, Fingerprint, IdempotencyRecord, IdempotencyStore } from './types.js';

/** Options of {@link memoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /**
   * The most keys kept; past it, the least recently used answers go first, down to 90 % of
   * it. @default 10000
   */
  maxEntries?: number;
  /**
   * The most body bytes kept, all answers together; past it, answers go as for `maxEntries`.
   * @default 67108864 (64 MiB)
   */
  maxBytes?: number;
}

type Entry =
  // `owner` is the claim's token: a number this store never gives twice. It never leaves
  // this process and proves nothing to anyone else, so a counter is all it needs to be.
  | { state: 'running'; owner: string; fingerprint: Fingerprint; expiresAt: number }
  | { state: 'done'; record: IdempotencyRecord; bytes: number; expiresAt: number };

/**
 * A store in this process's memory: exact for one process, lost on restart. Claims in
 * progress are never evicted; answers are, least recently used first, past `maxEntries` or
 * `maxBytes`, and when their TTL ends.
 *
 * @example idempotency: { store: memoryIdempotencyStore({ maxEntries: 50_000 }) }
 */
export function memoryIdempotencyStore(
  options: MemoryIdempotencyStoreOptions = {},
): IdempotencyStore {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  // A Map iterates in insertion order: re-inserting on use keeps it least recently used first.
  const entries = new Map<string, Entry>();
  let bytes = 0;
  let claims = 0;
  const id = (scope: string, key: string): string => `${scope.length}:${scope}${key}`;

  function drop(name: string, entry: Entry): void {
    entries.delete(name);
    if (entry.state === 'done') bytes -= entry.bytes;
  }

  function live(name: string, now: number): Entry | undefined {
    const entry = entries.get(name);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      drop(name, entry);
      return undefined;
    }
    return entry;
  }

  // Past a bound, answers go down to 90 % of it: a store at its bound then walks its oldest
  // entries once per many claims. Evicting one per claim walked, every time, the slots its
  // earlier deletes left at the head of the Map (27 µs a claim at 10 000 entries).
  const entryMark = Math.floor(maxEntries * 0.9);
  const byteMark = Math.floor(maxBytes * 0.9);

  function evict(): void {
    if (entries.size <= maxEntries && bytes <= maxBytes) return;
    for (const [name, entry] of entries) {
      if (entries.size <= entryMark && bytes <= byteMark) return;
      if (entry.state === 'done') drop(name, entry);
    }
  }

  return {
    claim(scope, key, fingerprint, leaseMs): ClaimResult {
      const name = id(scope, key);
      const now = Date.now();
      const entry = live(name, now);
      if (entry?.state === 'running')
        return { kind: 'in-progress', fingerprint: entry.fingerprint };
      if (entry?.state === 'done') {
        entries.delete(name);
        entries.set(name, entry);
        return { kind: 'completed', record: entry.record };
      }
      const owner = String(++claims);
      entries.set(name, { state: 'running', owner, fingerprint, expiresAt: now + leaseMs });
      evict();
      return { kind: 'claimed', token: owner };
    },
    complete(scope, key, owner, record, ttlMs) {
      const name = id(scope, key);
      const entry = entries.get(name);
      if (entry?.state !== 'running' || entry.owner !== owner) return;
      const size = record.response.body.byteLength;
      entries.delete(name);
      entries.set(name, { state: 'done', record, bytes: size, expiresAt: Date.now() + ttlMs });
      bytes += size;
      evict();
    },
    release(scope, key, owner) {
      const name = id(scope, key);
      const entry = entries.get(name);
      if (entry?.state === 'running' && entry.owner === owner) entries.delete(name);
    },
  };
}
