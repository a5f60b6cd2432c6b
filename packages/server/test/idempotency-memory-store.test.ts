/**
 * memoryIdempotencyStore's bounds: past `maxEntries` or `maxBytes` the least recently used
 * answers go, down to 90 % of the bound; a claim in progress is never evicted.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type IdempotencyStore, memoryIdempotencyStore } from '@apifault/server';

const fingerprint = { method: 'POST', path: '/v1/orders', body: '0'.repeat(64) };

/** Claims and completes `key` with a body of `size` bytes. */
function answer(store: IdempotencyStore, key: string, size = 1): void {
  const claim = store.claim('t', key, fingerprint, 60_000);
  assert.ok(!(claim instanceof Promise) && claim.kind === 'claimed', key);
  store.complete(
    't',
    key,
    claim.token,
    { fingerprint, response: { status: 201, headers: {}, body: new Uint8Array(size) } },
    60_000,
  );
}

/** Whether `key` still holds an answer (a claim of a dropped key claims it anew). */
function kept(store: IdempotencyStore, key: string): boolean {
  const claim = store.claim('t', key, fingerprint, 60_000);
  assert.ok(!(claim instanceof Promise));
  return claim.kind === 'completed';
}

test('past maxEntries, the least recently used answers go, down to 90 %', () => {
  const store = memoryIdempotencyStore({ maxEntries: 10 });
  for (let i = 0; i < 10; i++) answer(store, `k${i}`);
  assert.ok(kept(store, 'k0')); // used: now the most recent
  answer(store, 'k10'); // 11 > 10: down to 9, the two least recently used gone
  // The survivors first: a look at a dropped key claims it anew.
  for (const key of ['k0', 'k3', 'k9', 'k10']) assert.ok(kept(store, key), key);
  for (const key of ['k2', 'k1']) assert.equal(kept(store, key), false, key);
});

test('past maxBytes, answers go the same way', () => {
  const store = memoryIdempotencyStore({ maxBytes: 1000 });
  for (let i = 0; i < 5; i++) answer(store, `k${i}`, 200);
  answer(store, 'k5', 200); // 1200 > 1000: down to 900, the two oldest gone (800 left)
  for (const key of ['k2', 'k3', 'k4', 'k5']) assert.ok(kept(store, key), key);
  for (const key of ['k0', 'k1']) assert.equal(kept(store, key), false, key);
});

test('a claim in progress is never evicted', () => {
  const store = memoryIdempotencyStore({ maxEntries: 3 });
  for (let i = 0; i < 6; i++) store.claim('t', `run${i}`, fingerprint, 60_000);
  for (let i = 0; i < 6; i++) {
    const claim = store.claim('t', `run${i}`, fingerprint, 60_000);
    assert.ok(!(claim instanceof Promise) && claim.kind === 'in-progress', `run${i}`);
  }
});
