/**
 * The rate limiter on the memory store: exact admission under concurrency through a real
 * node:http server, windows reopening, costs, several windows and policies, and the headers.
 */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isApiError, validateErrorBody } from '@apifault/contract';
import { createApp } from '../src/adapters/node.js';
import {
  createRateLimiter,
  memoryStore,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitRequest,
} from '../src/rate-limit/index.js';
import { serveLimiter } from './fixtures/rate-limit-app.js';

const tenantKey = (req: RateLimitRequest): string | undefined => {
  const tenant = req.headers['x-tenant'];
  return typeof tenant === 'string' ? tenant : undefined;
};

function request(tenant: string, method = 'GET'): RateLimitRequest {
  return { method, path: '/v1/customers', headers: { 'x-tenant': tenant } };
}

/** Resolves with the decision, or with the thrown ApiError. */
async function attempt(
  limiter: RateLimiter,
  req: RateLimitRequest,
): Promise<{ status: number; headers: Record<string, string> }> {
  try {
    const decision: RateLimitDecision = await limiter.consume(req);
    return { status: 200, headers: decision.headers };
  } catch (error) {
    assert.ok(isApiError(error), `expected an ApiError, got ${String(error)}`);
    return { status: error.status, headers: { ...error.headers } };
  }
}

// An sf-list of `"name";a=1;b=2` items, as the RateLimit fields use.
const SF_ITEMS =
  /^"[A-Za-z][A-Za-z0-9_.-]*"(;[a-z]+=\d+)+(, "[A-Za-z][A-Za-z0-9_.-]*"(;[a-z]+=\d+)+)*$/;

test('memory store: exactly L of N concurrent requests pass through node:http, the rest get 429', async () => {
  const limit = 17;
  const total = 60;
  const limiter = createRateLimiter({
    store: 'memory',
    failure: 'open',
    policies: [{ name: 'tenant', key: tenantKey, windows: [{ limit, windowSeconds: 60 }] }],
  });
  const server = await serveLimiter(limiter);
  try {
    const responses = await Promise.all(
      Array.from({ length: total }, () =>
        fetch(`${server.url}/v1/customers`, { headers: { 'x-tenant': 'contoso' } }).then(
          async (response) => ({ response, body: await response.json() }),
        ),
      ),
    );
    const admitted = responses.filter(({ response }) => response.status === 200);
    const refused = responses.filter(({ response }) => response.status === 429);
    assert.equal(admitted.length, limit);
    assert.equal(refused.length, total - limit);
    for (const { response } of admitted) {
      assert.equal(response.headers.get('ratelimit-policy'), '"tenant";q=17;w=60');
      assert.match(response.headers.get('ratelimit') ?? '', /^"tenant";r=\d+;t=\d+$/);
    }
    for (const { response, body } of refused) {
      const retryAfter = response.headers.get('retry-after') ?? '';
      assert.match(retryAfter, /^\d+$/);
      assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 60, retryAfter);
      assert.equal(response.headers.get('ratelimit-policy'), '"tenant";q=17;w=60');
      assert.match(response.headers.get('ratelimit') ?? '', /^"tenant";r=0;t=\d+$/);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      assert.deepEqual(validateErrorBody(body), []);
      assert.equal((body as { code: unknown }).code, '429');
    }
  } finally {
    await server.close();
  }
});

test('memory store: after Retry-After has passed, requests are admitted again', async () => {
  const limiter = createRateLimiter({
    store: 'memory',
    failure: 'open',
    policies: [{ name: 'tenant', key: tenantKey, windows: [{ limit: 2, windowSeconds: 1 }] }],
  });
  assert.equal((await attempt(limiter, request('a'))).status, 200);
  assert.equal((await attempt(limiter, request('a'))).status, 200);
  const refused = await attempt(limiter, request('a'));
  assert.equal(refused.status, 429);
  assert.equal(refused.headers['Retry-After'], '1');
  // A real 1 s wait: the window is 1 s long, and the point is that Retry-After is honest.
  await sleep(Number(refused.headers['Retry-After']) * 1000 + 20);
  const again = await attempt(limiter, request('a'));
  assert.equal(again.status, 200);
  assert.equal(again.headers['RateLimit'], '"tenant";r=1;t=1');
});

test('cost: a write costing 5 against a limit of 10 admits exactly 2 writes', async () => {
  const limiter = createRateLimiter({
    store: 'memory',
    failure: 'open',
    policies: [
      {
        name: 'tenant',
        key: tenantKey,
        cost: (req) => (req.method === 'GET' ? 1 : 5),
        windows: [{ limit: 10, windowSeconds: 60 }],
      },
    ],
  });
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await attempt(limiter, request('w', 'POST'))).status);
  assert.deepEqual(statuses, [200, 200, 429, 429]);
});

test('cost: a refused write costs nothing, so reads that still fit pass', async () => {
  const limiter = createRateLimiter({
    store: 'memory',
    failure: 'open',
    policies: [
      {
        name: 'tenant',
        key: tenantKey,
        cost: (req) => (req.method === 'GET' ? 1 : 5),
        windows: [{ limit: 10, windowSeconds: 60 }],
      },
    ],
  });
  const run = async (method: string): Promise<string> => {
    const { status, headers } = await attempt(limiter, request('r', method));
    return `${method} ${status} ${headers['RateLimit']?.replace(/;t=\d+/, '')}`;
  };
  const log = [];
  for (const method of ['GET', 'GET', 'GET', 'POST', 'POST', 'GET', 'GET', 'GET']) {
    log.push(await run(method));
  }
  assert.deepEqual(log, [
    'GET 200 "tenant";r=9',
    'GET 200 "tenant";r=8',
    'GET 200 "tenant";r=7',
    'POST 200 "tenant";r=2',
    'POST 429 "tenant";r=2',
    'GET 200 "tenant";r=1',
    'GET 200 "tenant";r=0',
    'GET 429 "tenant";r=0',
  ]);
});

test('several windows: the smaller window refuses first, and the headers name both policies', async () => {
  const limiter = createRateLimiter({
    store: 'memory',
    failure: 'open',
    policies: [
      { name: 'burst', key: tenantKey, windows: [{ limit: 3, windowSeconds: 10 }] },
      { name: 'hourly', key: tenantKey, windows: [{ limit: 5, windowSeconds: 3600 }] },
    ],
  });
  const results = [];
  for (let i = 0; i < 4; i++) results.push(await attempt(limiter, request('m')));
  assert.deepEqual(
    results.map((result) => result.status),
    [200, 200, 200, 429],
  );
  for (const { headers } of results) {
    assert.equal(headers['RateLimit-Policy'], '"burst";q=3;w=10, "hourly";q=5;w=3600');
    assert.match(headers['RateLimit'] ?? '', SF_ITEMS);
  }
  assert.match(results[2]?.headers['RateLimit'] ?? '', /^"burst";r=0;t=\d+, "hourly";r=2;t=\d+$/);
  const refused = results[3]!;
  // Refused by the 10 s window, not the hour, and the refusal was not charged to the hour.
  assert.ok(Number(refused.headers['Retry-After']) <= 10, refused.headers['Retry-After']);
  assert.ok(Number(refused.headers['Retry-After']) >= 1);
  assert.match(refused.headers['RateLimit'] ?? '', /^"burst";r=0;t=\d+, "hourly";r=2;t=\d+$/);
});

test('several windows in one policy: each is named after the policy and its length', async () => {
  const limiter = createRateLimiter({
    store: 'memory',
    failure: 'open',
    policies: [
      {
        name: 'api',
        key: tenantKey,
        windows: [
          { limit: 2, windowSeconds: 10 },
          { limit: 100, windowSeconds: 3600 },
        ],
      },
    ],
  });
  const first = await attempt(limiter, request('n'));
  assert.equal(first.headers['RateLimit-Policy'], '"api-10s";q=2;w=10, "api-3600s";q=100;w=3600');
  assert.match(first.headers['RateLimit'] ?? '', /^"api-10s";r=1;t=\d+, "api-3600s";r=99;t=\d+$/);
  await attempt(limiter, request('n'));
  const refused = await attempt(limiter, request('n'));
  assert.equal(refused.status, 429);
  assert.match(refused.headers['RateLimit'] ?? '', /^"api-10s";r=0;t=\d+, "api-3600s";r=98;t=\d+$/);
});

test('keys: tenants are counted apart, and a policy without a key does not apply', async () => {
  const limiter = createRateLimiter({
    store: 'memory',
    failure: 'open',
    policies: [
      { name: 'tenant', key: tenantKey, windows: [{ limit: 1, windowSeconds: 60 }] },
      {
        name: 'customer',
        key: (req) => {
          const customer = req.headers['x-customer'];
          const tenant = tenantKey(req);
          return typeof customer === 'string' && tenant ? `${tenant}/${customer}` : undefined;
        },
        windows: [{ limit: 5, windowSeconds: 60 }],
      },
    ],
  });
  assert.equal((await attempt(limiter, request('t1'))).status, 200);
  assert.equal((await attempt(limiter, request('t1'))).status, 429);
  const other = await attempt(limiter, request('t2'));
  assert.equal(other.status, 200);
  assert.equal(other.headers['RateLimit-Policy'], '"tenant";q=1;w=60');
  const both = await attempt(limiter, {
    method: 'GET',
    path: '/',
    headers: { 'x-tenant': 't3', 'x-customer': 'c1' },
  });
  assert.equal(both.headers['RateLimit-Policy'], '"tenant";q=1;w=60, "customer";q=5;w=60');
  const none = await attempt(limiter, { method: 'GET', path: '/', headers: {} });
  assert.deepEqual(none, { status: 200, headers: {} });
});

test('a key or cost function that misbehaves is a programming error, not a 429', async () => {
  const make = (policy: Parameters<typeof createRateLimiter>[0]['policies'][number]) =>
    createRateLimiter({ store: 'memory', failure: 'open', policies: [policy] });
  const windows = [{ limit: 10, windowSeconds: 60 }];
  await assert.rejects(
    make({ name: 'p', key: () => 42 as unknown as string, windows }).consume(request('x')),
    (error: unknown) =>
      error instanceof TypeError && /key\(req\) must return a string/.test(error.message),
  );
  await assert.rejects(
    make({ name: 'p', key: tenantKey, cost: () => 0, windows }).consume(request('x')),
    (error: unknown) => error instanceof TypeError && /cost\(req\)/.test(error.message),
  );
  await assert.rejects(
    make({ name: 'p', key: tenantKey, cost: () => 11, windows }).consume(request('x')),
    (error: unknown) =>
      error instanceof RangeError && /above the smallest window limit/.test(error.message),
  );
});

test('through the node adapter: the ctx is the request view, and the 429 is rendered with its headers', async () => {
  const limiter = createRateLimiter({
    store: 'memory',
    failure: 'open',
    policies: [{ name: 'tenant', key: tenantKey, windows: [{ limit: 1, windowSeconds: 30 }] }],
  });
  const app = createApp({ source: 'billing' });
  app.get('/v1/customers', async (ctx) => {
    const { headers } = await limiter.consume(ctx);
    for (const [name, value] of Object.entries(headers)) ctx.res.setHeader(name, value);
    return { totalCount: 0, items: [] };
  });
  const server = http.createServer(app.handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    const get = () =>
      fetch(`http://127.0.0.1:${port}/v1/customers`, { headers: { 'x-tenant': 'contoso' } });
    const admitted = await get();
    assert.equal(admitted.status, 200);
    assert.equal(admitted.headers.get('ratelimit'), '"tenant";r=0;t=30');
    await admitted.arrayBuffer();
    const refused = await get();
    assert.equal(refused.status, 429);
    assert.match(refused.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.equal(refused.headers.get('ratelimit-policy'), '"tenant";q=1;w=30');
    assert.match(refused.headers.get('ratelimit') ?? '', /^"tenant";r=0;t=\d+$/);
    const body = await refused.json();
    assert.deepEqual(validateErrorBody(body), []);
    assert.equal((body as { source: unknown }).source, 'billing');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('memory store: a counter answers at once, from the same counts its promise reads', async () => {
  const counter = memoryStore().createCounter({ keyPrefix: 'now', limit: 3, windowSeconds: 60 });
  assert.ok(counter.consumeNow, 'the memory counter answers at once');
  assert.equal(counter.consumeNow('k', 2).consumedPoints, 2);
  // Over the limit: the usage comes back (no throw), and the promise side sees the same count.
  assert.equal(counter.consumeNow('k', 2).consumedPoints, 4);
  await assert.rejects(counter.consume('k', 1), (usage: { consumedPoints: number }) => {
    assert.equal(usage.consumedPoints, 5);
    return true;
  });
  await counter.reward('k', 4);
  assert.equal(counter.consumeNow('k', 1).consumedPoints, 2);
});
