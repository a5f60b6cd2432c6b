/**
 * The idempotency stage on a real redis-server: exact across two processes, a reused key never
 * runs twice, and Redis killed mid-run behaves as configured (open / closed) then recovers.
 */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { validateErrorBody } from '@apifault/contract';
import { Redis } from 'ioredis';
import { createApp, type Logger, redisClientOptions, redisIdempotencyStore } from '../src/index.js';
import { spawnFixture } from './helpers/fixture-process.js';
import { type RawResponse, send } from './helpers/http.js';
import { redisSkipReason, startRedis } from './helpers/redis-server.js';

const order = (key: string, body: string, path = '/v1/orders') => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/json', 'ms-requestid': key },
  body,
});

test('idempotency on Redis', async (t) => {
  const skip = redisSkipReason();
  if (skip) {
    t.skip(skip);
    return;
  }
  const redis = await startRedis();
  t.after(() => redis.stop());
  const counter = new Redis({ host: '127.0.0.1', port: redis.port });
  counter.on('error', () => {});
  t.after(() => counter.disconnect());

  await t.test(
    'two processes, 50 concurrent POSTs with one key: the handler runs once',
    async () => {
      const env = { IDEM_REDIS_PORT: String(redis.port) };
      const servers = await Promise.all([
        spawnFixture('idempotency-server', env),
        spawnFixture('idempotency-server', env),
      ]);
      try {
        const answers = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            send(servers[i % 2]!.url, order('one-key', '{"item":"a"}')),
          ),
        );
        assert.equal(await counter.get('idem-test:runs'), '1');
        const created = answers.filter((a) => a.status === 201);
        const waiting = answers.filter((a) => a.status === 409);
        assert.equal(created.length + waiting.length, 50, 'only 201 and 409');
        assert.ok(created.length >= 1);
        for (const a of waiting) {
          assert.deepEqual(validateErrorBody(a.json), []);
          assert.equal((a.json as { code: string }).code, 'IdempotencyKeyInProgress');
          assert.equal(a.headers['retry-after'], '1');
        }
        const first = created[0]!;
        for (const a of created) assert.equal(a.text, first.text);
        // Completed: every repeat, on either process, replays the same bytes.
        const repeats: RawResponse[] = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            send(servers[i % 2]!.url, order('one-key', '{"item":"a"}')),
          ),
        );
        for (const a of repeats) {
          assert.equal(a.status, 201);
          assert.equal(a.text, first.text);
          assert.equal(a.headers['location'], first.headers['location']);
          assert.equal(a.headers['idempotent-replayed'], 'true');
        }
        // The key with another body or path: refused, never a second resource.
        const otherBody = await send(servers[0]!.url, order('one-key', '{"item":"b"}'));
        const otherPath = await send(
          servers[1]!.url,
          order('one-key', '{"item":"a"}', '/v1/orders?x=1'),
        );
        assert.equal(otherBody.status, 409);
        assert.deepEqual((otherBody.json as { data: unknown }).data, ['body']);
        assert.equal(otherPath.status, 409);
        assert.deepEqual((otherPath.json as { data: unknown }).data, ['path']);
        assert.equal(await counter.get('idem-test:runs'), '1');
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    },
  );

  for (const failure of ['open', 'closed'] as const) {
    await t.test(
      `Redis killed mid-run, fail-${failure}: as configured, then recovers`,
      async (t) => {
        const client = new Redis({ host: '127.0.0.1', port: redis.port, ...redisClientOptions });
        client.on('error', () => {});
        t.after(() => client.disconnect());
        await once(client, 'ready');
        const warnings: string[] = [];
        const notes: string[] = [];
        const logger: Logger = {
          error: () => {},
          warn: (_obj, msg) => warnings.push(String(msg)),
          info: (_obj, msg) => notes.push(String(msg)),
        };
        let runs = 0;
        const app = createApp({
          logger,
          idempotency: {
            store: redisIdempotencyStore({ client, keyPrefix: `outage-${failure}` }),
            failure,
            retryAfterOnFailure: 2,
          },
        });
        app.post('/v1/orders', () => {
          runs++;
          return { run: runs };
        });
        const server = createServer(app.handler);
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        t.after(() => new Promise<void>((r) => server.close(() => r())));
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

        assert.equal((await send(url, order('before', '{}'))).status, 200);
        assert.equal(
          (await send(url, order('before', '{}'))).headers['idempotent-replayed'],
          'true',
        );
        assert.equal(runs, 1);

        await redis.kill();
        const during = [
          await send(url, order('during', '{}')),
          await send(url, order('during', '{}')),
        ];
        if (failure === 'open') {
          // Run without idempotency: both run, and the outage is logged once.
          for (const a of during) assert.equal(a.status, 200);
          assert.equal(runs, 3);
          assert.deepEqual(warnings, ['idempotency store unreachable']);
        } else {
          for (const a of during) {
            assert.equal(a.status, 503);
            assert.equal(a.headers['retry-after'], '2');
            assert.deepEqual(validateErrorBody(a.json), []);
          }
          assert.equal(runs, 1);
        }

        await redis.restart();
        const deadline = Date.now() + 8000;
        while (client.status !== 'ready' && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
        }
        const ran = runs;
        const after = await send(url, order('after', '{}'));
        const again = await send(url, order('after', '{}'));
        assert.equal(after.status, 200);
        assert.equal(again.headers['idempotent-replayed'], 'true');
        assert.equal(again.text, after.text);
        assert.equal(runs, ran + 1);
        assert.ok(notes.includes('idempotency store reachable again'));
      },
    );
  }
});
