import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RETRY_DEFAULTS } from '@apifault/client';
import {
  backoffDelay,
  decideRetry,
  readRetryAfter,
  resolveRetryPolicy,
} from '../src/retry-policy.js';

const NOW = Date.parse('2026-03-02T10:00:00Z');

test('readRetryAfter: millisecond headers first, then seconds or an HTTP-date', () => {
  const read = (headers: Record<string, string>) => readRetryAfter(new Headers(headers), NOW);
  assert.equal(read({ 'retry-after': '57' }), 57_000);
  assert.equal(read({ 'retry-after': new Date(NOW + 5000).toUTCString() }), 5000);
  assert.equal(read({ 'retry-after': new Date(NOW - 5000).toUTCString() }), 0);
  assert.equal(read({ 'retry-after-ms': '120', 'retry-after': '9' }), 120);
  assert.equal(read({ 'x-ms-retry-after-ms': '80.5' }), 81);
  assert.equal(read({ 'retry-after': 'soon' }), undefined);
  assert.equal(read({ 'retry-after-ms': '-1' }), undefined);
  assert.equal(read({}), undefined);
});

test('backoffDelay: full jitter under an exponential ceiling capped at maxDelayMs', () => {
  const policy = (random: number) =>
    resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => random });
  assert.equal(backoffDelay(policy(0.999999), 1), 99);
  assert.equal(backoffDelay(policy(0.5), 1), 50);
  assert.equal(backoffDelay(policy(0.5), 3), 200);
  assert.equal(backoffDelay(policy(0.5), 10), 500, 'ceiling capped at maxDelayMs');
  assert.equal(backoffDelay(policy(0), 4), 0);
  assert.equal(backoffDelay(policy(Number.NaN), 2), 0, 'a broken random source waits 0');
  assert.equal(backoffDelay(policy(0.5), 5000), 500, 'huge attempt numbers stay finite');
});

test('decideRetry follows the contract table', () => {
  const policy = resolveRetryPolicy({ random: () => 0.5 });
  const status = (s: number, retryAfterMs?: number) => ({
    kind: 'status' as const,
    status: s,
    retryAfterMs,
  });
  assert.deepEqual(decideRetry(policy, status(429, 2000), 1, false), {
    retry: true,
    delayMs: 2000,
    reason: 'retry-after',
  });
  assert.deepEqual(decideRetry(policy, status(503), 1, false), {
    retry: true,
    delayMs: 250,
    reason: 'backoff',
  });
  assert.deepEqual(decideRetry(policy, status(429, 10 ** 9), 1, true), {
    retry: true,
    delayMs: RETRY_DEFAULTS.maxRetryAfterMs,
    reason: 'retry-after',
  });
  for (const s of [408, 500, 502, 504]) {
    assert.equal(decideRetry(policy, status(s), 1, true).retry, true, `${s} idempotent`);
    assert.equal(decideRetry(policy, status(s), 1, false).retry, false, `${s} not idempotent`);
  }
  for (const s of [400, 401, 403, 404, 405, 406, 409, 412, 501, 418]) {
    assert.equal(decideRetry(policy, status(s, 0), 1, true).retry, false, `${s}`);
  }
  assert.equal(decideRetry(policy, { kind: 'network-error' }, 1, true).retry, true);
  assert.equal(decideRetry(policy, { kind: 'timeout' }, 1, false).retry, false);
  assert.equal(decideRetry(policy, status(429, 0), RETRY_DEFAULTS.attempts, true).retry, false);
});
