/**
 * The rate limiter on a real redis-server: two server processes sharing one Redis admit
 * exactly L requests in total, and a short window reopens after its Retry-After.
 */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isApiError, validateErrorBody } from '@apifault/contract';
import { Redis } from 'ioredis';
import {
  connectRedisStore,
  createRateLimiter,
  redisClientOptions,
  redisStore,
} from '../src/rate-limit/index.js';
import { spawnFixture } from './helpers/fixture-process.js';
import { redisSkipReason, startRedis } from './helpers/redis-server.js';

test('rate limiting on Redis', async (t) => {
  const skip = redisSkipReason();
  if (skip) {
    t.skip(skip);
    return;
  }
  const redis = await startRedis();
  t.after(() => redis.stop());

  await t.test(
    'two server processes sharing one Redis admit exactly L requests in total',
    async () => {
      const limit = 25;
      const total = 120;
      const env = { RL_REDIS_PORT: String(redis.port), RL_LIMIT: String(limit), RL_WINDOW: '60' };
      const servers = await Promise.all([
        spawnFixture('rate-limit-server', env),
        spawnFixture('rate-limit-server', env),
      ]);
      try {
        const responses = await Promise.all(
          Array.from({ length: total }, (_, i) =>
            fetch(`${servers[i % 2]!.url}/v1/customers`, {
              headers: { 'x-tenant': 'contoso' },
            }).then(async (response) => ({ response, body: (await response.json()) as unknown })),
          ),
        );
        const admitted = responses.filter(({ response }) => response.status === 200);
        const refused = responses.filter(({ response }) => response.status === 429);
        assert.equal(admitted.length, limit);
        assert.equal(refused.length, total - limit);
        // Both processes really took part.
        const admittedBy = new Set(admitted.map(({ response }) => new URL(response.url).port));
        const servedBy = new Set(responses.map(({ response }) => new URL(response.url).port));
        assert.equal(servedBy.size, 2);
        assert.ok(admittedBy.size >= 1);
        for (const { response, body } of refused) {
          const retryAfter = response.headers.get('retry-after') ?? '';
          assert.match(retryAfter, /^\d+$/);
          assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 60, retryAfter);
          assert.equal(response.headers.get('ratelimit-policy'), '"tenant";q=25;w=60');
          assert.match(response.headers.get('ratelimit') ?? '', /^"tenant";r=0;t=\d+$/);
          assert.deepEqual(validateErrorBody(body), []);
        }
      } finally {
        await Promise.all(servers.map((server) => server.stop()));
      }
    },
  );

  await t.test('after Retry-After has passed, requests are admitted again', async () => {
    const client = new Redis({ host: '127.0.0.1', port: redis.port, ...redisClientOptions });
    client.on('error', () => {});
    await once(client, 'ready');
    const limiter = createRateLimiter({
      store: redisStore({ client }),
      failure: 'closed',
      policies: [
        { name: 'burst', key: () => 'window-test', windows: [{ limit: 2, windowSeconds: 1 }] },
      ],
    });
    try {
      const req = { method: 'GET', path: '/', headers: {} };
      await limiter.consume(req);
      await limiter.consume(req);
      const refused = await limiter.consume(req).then(
        () => assert.fail('the third request should be refused'),
        (error: unknown) => error,
      );
      assert.ok(isApiError(refused));
      assert.equal(refused.status, 429);
      assert.equal(refused.headers['Retry-After'], '1');
      await sleep(Number(refused.headers['Retry-After']) * 1000 + 20);
      const again = await limiter.consume(req);
      assert.match(again.headers['RateLimit'] ?? '', /^"burst";r=1;t=1$/);
    } finally {
      await limiter.close();
      await client.quit();
    }
  });

  await t.test(
    'redisStore({ url }) is usable at once: early requests wait for the connection',
    async (t) => {
      const store = redisStore({ url: redis.url });
      t.after(() => store.client?.disconnect());
      const limiter = createRateLimiter({
        store,
        failure: 'closed',
        keyPrefix: 'url-test',
        policies: [{ name: 'tenant', key: () => 'k', windows: [{ limit: 2, windowSeconds: 60 }] }],
      });
      const statuses = await Promise.all(
        [1, 2, 3].map(() =>
          limiter.consume({ method: 'GET', path: '/', headers: {} }).then(
            () => 200,
            (error: unknown) => (isApiError(error) ? error.status : 500),
          ),
        ),
      );
      assert.deepEqual(
        statuses.sort((a, b) => a - b),
        [200, 200, 429],
      );
      await limiter.close();
      const status = (): string | undefined => store.client?.status;
      for (let i = 0; i < 50 && status() !== 'end'; i++) await sleep(20);
      assert.equal(status(), 'end');
    },
  );

  await t.test(
    'connectRedisStore loads ioredis itself, costs and refunds work on Redis',
    async (t) => {
      const store = await connectRedisStore({ url: `${redis.url}/0` });
      t.after(() => store.client.disconnect());
      assert.equal(store.client.status, 'ready');
      const limiter = createRateLimiter({
        store,
        failure: 'closed',
        keyPrefix: 'cost-test',
        policies: [
          {
            name: 'tenant',
            key: () => 'fabrikam',
            cost: (req) => (req.method === 'GET' ? 1 : 5),
            windows: [{ limit: 10, windowSeconds: 60 }],
          },
        ],
      });
      const statuses: number[] = [];
      for (const method of ['POST', 'POST', 'POST', 'GET']) {
        statuses.push(
          await limiter.consume({ method, path: '/', headers: {} }).then(
            () => 200,
            (error: unknown) => (isApiError(error) ? error.status : 500),
          ),
        );
      }
      assert.deepEqual(statuses, [200, 200, 429, 429]);
      await limiter.close();
      // quit() resolves on Redis's OK; the socket closes just after. Bounded wait: 1 s.
      const status = (): string => store.client.status;
      for (let i = 0; i < 50 && status() !== 'end'; i++) await sleep(20);
      assert.equal(status(), 'end');
    },
  );
});
