/**
 * memoryIdempotencyStore's bounds: past `maxEntries` or `maxBytes` the least recently used
 * answers go (an answer dates from its request's arrival or its last replay), down to 90 %
 * of the bound; a claim in progress is never evicted.
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

test("an answer keeps its request's place: completing a claim does not move it", () => {
  const store = memoryIdempotencyStore({ maxBytes: 1000 });
  const record = (size: number) => ({
    fingerprint,
    response: { status: 201, headers: {}, body: new Uint8Array(size) },
  });
  const first = store.claim('t', 'first', fingerprint, 60_000);
  const second = store.claim('t', 'second', fingerprint, 60_000);
  assert.ok(!(first instanceof Promise) && first.kind === 'claimed');
  assert.ok(!(second instanceof Promise) && second.kind === 'claimed');
  // The second request answers first; the first one's answer stays the older.
  store.complete('t', 'second', second.token, record(100), 60_000);
  store.complete('t', 'first', first.token, record(150), 60_000);
  answer(store, 'k0', 650); // 900
  answer(store, 'k1', 101); // 1001 > 1000: the oldest goes, 'first', down to 851
  assert.ok(kept(store, 'second'));
  assert.equal(kept(store, 'first'), false);
});

test('a claim in progress is never evicted', () => {
  const store = memoryIdempotencyStore({ maxEntries: 3 });
  for (let i = 0; i < 6; i++) store.claim('t', `run${i}`, fingerprint, 60_000);
  for (let i = 0; i < 6; i++) {
    const claim = store.claim('t', `run${i}`, fingerprint, 60_000);
    assert.ok(!(claim instanceof Promise) && claim.kind === 'in-progress', `run${i}`);
  }
});

test('a claim whose lease ended is free again, and its late holder can neither complete nor free it', (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: 0 });
  const store = memoryIdempotencyStore();
  const record = {
    fingerprint,
    response: { status: 201, headers: {}, body: new TextEncoder().encode('late') },
  };
  const first = store.claim('t', 'k', fingerprint, 1000);
  assert.ok(!(first instanceof Promise) && first.kind === 'claimed');
  t.mock.timers.tick(999);
  assert.equal((store.claim('t', 'k', fingerprint, 1000) as { kind: string }).kind, 'in-progress');
  t.mock.timers.tick(1);
  const second = store.claim('t', 'k', fingerprint, 1000);
  assert.ok(!(second instanceof Promise) && second.kind === 'claimed', 'the lease ended');
  assert.notEqual(second.token, first.token);

  // The first request ends late: its answer is not stored, and the key stays the second's.
  store.complete('t', 'k', first.token, record, 60_000);
  store.release('t', 'k', first.token);
  assert.equal((store.claim('t', 'k', fingerprint, 1000) as { kind: string }).kind, 'in-progress');

  store.complete('t', 'k', second.token, record, 60_000);
  const replay = store.claim('t', 'k', fingerprint, 1000);
  assert.ok(!(replay instanceof Promise) && replay.kind === 'completed');
  assert.equal(replay.record, record);
});

test('tokens are never given twice, across keys and scopes', () => {
  const store = memoryIdempotencyStore();
  const tokens = new Set<string>();
  for (const scope of ['a', 'b'])
    for (let i = 0; i < 100; i++) {
      const claim = store.claim(scope, `k${i}`, fingerprint, 60_000);
      assert.ok(!(claim instanceof Promise) && claim.kind === 'claimed');
      tokens.add(claim.token);
      if (i % 2) store.release(scope, `k${i}`, claim.token);
    }
  assert.equal(tokens.size, 200);
});
