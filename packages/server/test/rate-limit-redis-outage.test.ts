/**
 * Redis killed in the middle of a run: fail-open admits (logging once per outage), fail-closed
 * answers 503 with Retry-After, and both recover when Redis returns on the same port.
 */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isApiError, validateErrorBody } from '@apifault/contract';
import { Redis } from 'ioredis';
import {
  createRateLimiter,
  type RateLimitLogger,
  redisClientOptions,
  redisStore,
} from '../src/rate-limit/index.js';
import { redisSkipReason, startRedis } from './helpers/redis-server.js';

type Outcome = 'limited' | 'unlimited' | '503' | '429' | 'other';

/** Waits (bounded) until `condition` holds. */
async function until(condition: () => boolean, what: string, ms = 8000): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited >= ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

test('Redis killed mid-run', async (t) => {
  const skip = redisSkipReason();
  if (skip) {
    t.skip(skip);
    return;
  }
  const redis = await startRedis();
  t.after(() => redis.stop());

  for (const failure of ['open', 'closed'] as const) {
    await t.test(`fail-${failure}: behaves as configured, logs once, and recovers`, async (t) => {
      const client = new Redis({ host: '127.0.0.1', port: redis.port, ...redisClientOptions });
      client.on('error', () => {});
      // A failed assertion must not leave a reconnecting client holding the test process open.
      t.after(() => client.disconnect());
      await once(client, 'ready');
      const warnings: [Record<string, unknown>, string][] = [];
      const notes: [Record<string, unknown>, string][] = [];
      const logger: RateLimitLogger = {
        warn: (obj, msg) => warnings.push([obj, msg]),
        info: (obj, msg) => notes.push([obj, msg]),
      };
      const limiter = createRateLimiter({
        store: redisStore({ client }),
        failure,
        logger,
        retryAfterOnFailure: 2,
        keyPrefix: `outage-${failure}`,
        policies: [
          { name: 'tenant', key: () => 'k', windows: [{ limit: 100_000, windowSeconds: 60 }] },
        ],
      });
      const outcomes: Outcome[] = [];
      const bodies: unknown[] = [];
      const one = async (): Promise<void> => {
        try {
          const { headers } = await limiter.consume({ method: 'GET', path: '/', headers: {} });
          outcomes.push(headers['RateLimit'] ? 'limited' : 'unlimited');
        } catch (error) {
          if (isApiError(error) && error.status === 503) {
            assert.equal(error.headers['Retry-After'], '2');
            bodies.push(error.toBody());
            outcomes.push('503');
          } else outcomes.push(isApiError(error) ? '429' : 'other');
        }
      };
      // Traffic throughout the run: 3 concurrent requests every 5 ms, at most 3000 ticks.
      let running = true;
      const traffic = (async () => {
        for (let tick = 0; running && tick < 3000; tick++) {
          await Promise.all([one(), one(), one()]);
          await sleep(5);
        }
      })();
      const count = (outcome: Outcome, from = 0): number =>
        outcomes.slice(from).filter((o) => o === outcome).length;
      const outageOutcome: Outcome = failure === 'open' ? 'unlimited' : '503';
      try {
        await until(() => count('limited') >= 30, 'traffic before the outage');
        await redis.kill();
        await until(() => count(outageOutcome) >= 60, 'requests during the outage');
        assert.equal(warnings.length, 1, 'one warning for the whole outage');
        assert.equal(warnings[0]?.[0]['store'], 'redis');
        assert.equal(notes.length, 0);

        await redis.restart();
        const mark = outcomes.length;
        await until(() => count('limited', mark) >= 30, 'traffic after Redis returned');
      } finally {
        running = false;
        await traffic;
      }
      assert.equal(warnings.length, 1);
      assert.equal(notes.length, 1, 'one note when the store is back');
      assert.ok(Number(notes[0]?.[0]['affectedRequests']) >= 60);
      assert.equal(count('other'), 0);
      assert.equal(count('429'), 0);
      if (failure === 'open') assert.equal(count('503'), 0);
      else assert.equal(count('unlimited'), 0);
      for (const body of bodies) {
        assert.deepEqual(validateErrorBody(body), []);
        // The store's error stays in the logs, never in a 5xx body.
        assert.doesNotMatch(JSON.stringify(body), /redis|ECONNREFUSED|Stream|ready|stack/i);
      }

      // The recovered store enforces limits again.
      const strict = createRateLimiter({
        store: redisStore({ client }),
        failure,
        keyPrefix: `after-${failure}`,
        policies: [{ name: 'tenant', key: () => 'k', windows: [{ limit: 2, windowSeconds: 60 }] }],
      });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push(
          await strict.consume({ method: 'GET', path: '/', headers: {} }).then(
            () => 200,
            (error: unknown) => (isApiError(error) ? error.status : 0),
          ),
        );
      }
      assert.deepEqual(statuses, [200, 200, 429]);
    });
  }
});
