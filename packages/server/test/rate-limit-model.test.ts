/**
 * The limiter against a model, on random request sequences: a request passes when every
 * window of every applicable policy still has room for its cost, and a refused request costs
 * nothing. Also: requests typed by the application, and a throwing key that takes nothing.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isApiError } from '@apifault/contract';
import fc from 'fast-check';
import {
  createRateLimiter,
  memoryStore,
  type RateLimitRequest,
  type RateLimitStore,
} from '../src/rate-limit/index.js';

type Req = RateLimitRequest & { readonly tenant: string; readonly customer?: string | undefined };

const arbitraryRun = fc.record({
  tenantWindows: fc.array(fc.integer({ min: 5, max: 30 }), { minLength: 1, maxLength: 3 }),
  // Without it, one tenant window is the limiter's single-window configuration.
  customerPolicy: fc.boolean(),
  customerLimit: fc.integer({ min: 5, max: 30 }),
  writeCost: fc.integer({ min: 1, max: 5 }),
  requests: fc.array(
    fc.record({
      tenant: fc.constantFrom('t1', 't2'),
      customer: fc.option(fc.constantFrom('c1', 'c2'), { nil: undefined }),
      write: fc.boolean(),
    }),
    { maxLength: 60 },
  ),
});

/** The memory store seen only through its promises, as the limiter sees any other store. */
function promisesOnly(store: RateLimitStore): RateLimitStore {
  return {
    ...store,
    createCounter(options) {
      const counter = store.createCounter(options);
      return {
        consume: (key, points) => counter.consume(key, points),
        reward: (key, points) => counter.reward(key, points),
      };
    },
  };
}

const stores: [string, () => RateLimitStore][] = [
  ['a store that answers at once (memory)', memoryStore],
  ['a store that answers through promises', () => promisesOnly(memoryStore())],
];

for (const [label, makeStore] of stores)
  test(`admits exactly what the model admits, with truthful remaining counts: ${label}`, async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryRun,
        async ({ tenantWindows, customerPolicy, customerLimit, writeCost, requests }) => {
          const cost = (req: Req): number => (req.method === 'GET' ? 1 : writeCost);
          const limiter = createRateLimiter<Req>({
            store: makeStore(),
            failure: 'open',
            policies: [
              {
                name: 'tenant',
                key: (req) => req.tenant,
                cost,
                // Distinct lengths so each window gets its own name.
                windows: tenantWindows.map((limit, i) => ({ limit, windowSeconds: 600 + i })),
              },
              ...(customerPolicy
                ? [
                    {
                      name: 'customer',
                      key: (req: Req) =>
                        req.customer ? `${req.tenant}/${req.customer}` : undefined,
                      cost,
                      windows: [{ limit: customerLimit, windowSeconds: 600 }],
                    },
                  ]
                : []),
            ],
          });
          // The model: points used per (window, key).
          const used = new Map<string, number>();
          for (const { tenant, customer, write } of requests) {
            const req: Req = {
              method: write ? 'POST' : 'GET',
              path: '/',
              headers: {},
              tenant,
              customer,
            };
            const points = cost(req);
            const counters: [string, number][] = tenantWindows.map((limit, i) => [
              `w${i}:${tenant}`,
              limit,
            ]);
            if (customerPolicy && customer)
              counters.push([`c:${tenant}/${customer}`, customerLimit]);
            const fits = counters.every(([id, limit]) => (used.get(id) ?? 0) + points <= limit);
            const outcome = await limiter.consume(req).then(
              (decision) => ({ status: 200, headers: decision.headers }),
              (error: unknown) => {
                assert.ok(isApiError(error));
                return { status: error.status, headers: { ...error.headers } };
              },
            );
            assert.equal(outcome.status, fits ? 200 : 429);
            if (fits) for (const [id] of counters) used.set(id, (used.get(id) ?? 0) + points);
            // Every counter's remaining points, in header order.
            const remaining = [...(outcome.headers['RateLimit'] ?? '').matchAll(/;r=(\d+)/g)].map(
              (match) => Number(match[1]),
            );
            assert.deepEqual(
              remaining,
              counters.map(([id, limit]) => limit - (used.get(id) ?? 0)),
            );
            if (!fits) assert.match(outcome.headers['Retry-After'] ?? '', /^[1-9]\d*$/);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

test('a key function that throws leaves no points taken in the other policies', async () => {
  let explode = false;
  const limiter = createRateLimiter<Req>({
    store: 'memory',
    failure: 'open',
    policies: [
      { name: 'tenant', key: (req) => req.tenant, windows: [{ limit: 2, windowSeconds: 60 }] },
      {
        name: 'fragile',
        key: () => {
          if (explode) throw new Error('key lookup failed');
          return 'x';
        },
        windows: [{ limit: 100, windowSeconds: 60 }],
      },
    ],
  });
  const req: Req = { method: 'GET', path: '/', headers: {}, tenant: 't' };
  explode = true;
  await assert.rejects(limiter.consume(req), /key lookup failed/);
  await assert.rejects(limiter.consume(req), /key lookup failed/);
  explode = false;
  const { headers } = await limiter.consume(req);
  assert.match(headers['RateLimit'] ?? '', /^"tenant";r=1;t=\d+, "fragile";r=99;t=\d+$/);
});

/** A store of the application's: counts in a Map, resolves even when over the limit. */
function mapStore(state: { failWith?: unknown }): RateLimitStore {
  const counts = new Map<string, number>();
  return {
    kind: 'map',
    createCounter: ({ keyPrefix }) => ({
      async consume(key, points) {
        if (state.failWith !== undefined) throw state.failWith;
        const consumedPoints = (counts.get(`${keyPrefix}:${key}`) ?? 0) + points;
        counts.set(`${keyPrefix}:${key}`, consumedPoints);
        return { consumedPoints, msBeforeNext: 30_000 };
      },
      async reward(key, points) {
        counts.set(`${keyPrefix}:${key}`, (counts.get(`${keyPrefix}:${key}`) ?? 0) - points);
      },
    }),
    close: async () => {},
  };
}

test('a custom store plugs in: over-limit answers are refused even when it resolves', async () => {
  for (const windows of [
    [{ limit: 2, windowSeconds: 30 }],
    [
      { limit: 2, windowSeconds: 30 },
      { limit: 9, windowSeconds: 60 },
    ],
  ]) {
    const limiter = createRateLimiter({
      store: mapStore({}),
      failure: 'closed',
      policies: [{ name: 'p', key: () => 'k', windows }],
    });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        await limiter.consume({ method: 'GET', path: '/', headers: {} }).then(
          () => 200,
          (error: unknown) => (isApiError(error) ? error.status : 0),
        ),
      );
    }
    assert.deepEqual(statuses, [200, 200, 429, 429]);
  }
});

test('a store failing with a non-Error value is an outage: open admits, closed answers 503', async () => {
  for (const failure of ['open', 'closed'] as const) {
    const warnings: string[] = [];
    const limiter = createRateLimiter({
      store: mapStore({ failWith: 'connection lost' }),
      failure,
      logger: { warn: (_obj, msg) => warnings.push(msg), info: () => {} },
      policies: [{ name: 'p', key: () => 'k', windows: [{ limit: 2, windowSeconds: 30 }] }],
    });
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(
        await limiter.consume({ method: 'GET', path: '/', headers: {} }).then(
          ({ headers }) => `200 ${Object.keys(headers).join(',')}`,
          (error: unknown) =>
            isApiError(error) ? `${error.status} ${error.headers['Retry-After']}` : 'other',
        ),
      );
    }
    assert.deepEqual(
      outcomes,
      Array(5).fill(failure === 'open' ? '200 RateLimit-Policy' : '503 5'),
    );
    assert.equal(warnings.length, 1);
  }
});
