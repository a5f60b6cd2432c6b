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

/**
 * A key held by the store: claimed, then answered in place. Its place in the store's order
 * is its request's arrival (or its last replay): completing does not move it.
 */
class Slot {
  /** The answer, once the claim completed. */
  record: IdempotencyRecord | undefined = undefined;
  /** The answer's body bytes, counted against `maxBytes`. */
  bytes = 0;

  constructor(
    /** The slot's name in the store's Map. */
    readonly name: string,
    /**
     * The claim's token: a number this store never gives twice. It never leaves this
     * process and proves nothing to anyone else, so a counter is all it needs to be.
     */
    readonly owner: string,
    readonly fingerprint: Fingerprint,
    /** The end of the claim's lease, then of the answer's TTL (ms since the epoch). */
    public expiresAt: number,
  ) {}
}

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
  // A Map iterates in insertion order: re-inserting a slot on replay keeps it least recently
  // used first. A claim completes in its slot, sparing every POST the two Map operations of
  // a move.
  const slots = new Map<string, Slot>();
  let bytes = 0;
  let claims = 0;
  const id = (scope: string, key: string): string => `${scope.length}:${scope}${key}`;

  function drop(slot: Slot): void {
    slots.delete(slot.name);
    bytes -= slot.bytes;
  }

  // Past a bound, answers go down to 90 % of it: a store at its bound then walks its oldest
  // slots once per many claims. Evicting one per claim walked, every time, the slots its
  // earlier deletes left at the head of the Map (27 µs a claim at 10 000 entries).
  const entryMark = Math.floor(maxEntries * 0.9);
  const byteMark = Math.floor(maxBytes * 0.9);

  function evict(): void {
    if (slots.size <= maxEntries && bytes <= maxBytes) return;
    for (const slot of slots.values()) {
      if (slots.size <= entryMark && bytes <= byteMark) return;
      if (slot.record !== undefined) drop(slot);
    }
  }

  /** The slot of a claim `owner` still holds. */
  function held(scope: string, key: string, owner: string): Slot | undefined {
    const slot = slots.get(id(scope, key));
    return slot?.record === undefined && slot?.owner === owner ? slot : undefined;
  }

  return {
    claim(scope, key, fingerprint, leaseMs): ClaimResult {
      const name = id(scope, key);
      const now = Date.now();
      const slot = slots.get(name);
      if (slot !== undefined && slot.expiresAt > now) {
        if (slot.record === undefined)
          return { kind: 'in-progress', fingerprint: slot.fingerprint };
        slots.delete(name);
        slots.set(name, slot);
        return { kind: 'completed', record: slot.record };
      }
      if (slot !== undefined) drop(slot);
      const owner = String(++claims);
      slots.set(name, new Slot(name, owner, fingerprint, now + leaseMs));
      evict();
      return { kind: 'claimed', token: owner };
    },
    complete(scope, key, owner, record, ttlMs) {
      const slot = held(scope, key, owner);
      if (slot === undefined) return;
      slot.record = record;
      slot.bytes = record.response.body.byteLength;
      slot.expiresAt = Date.now() + ttlMs;
      bytes += slot.bytes;
      evict();
    },
    release(scope, key, owner) {
      const slot = held(scope, key, owner);
      if (slot !== undefined) slots.delete(slot.name);
    },
  };
}
