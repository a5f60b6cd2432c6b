/**
 * Load with faults: `apifault start --redis … --fault 'commerce=502,p=0.1' --seed 42` in a
 * child process takes a bounded, sustained load from this process through @apifault/client
 * while its Redis is killed and restarted. No acknowledged write is lost, every error
 * response (retried attempts included) is a contract error, the client completes every
 * idempotent request, and the rate-limit state is back in Redis after the outage.
 */

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, isApiResponseError } from '@apifault/client';
import { validateErrorBody } from '@apifault/contract';
import { SEED_CUSTOMERS } from '@apifault/emulator';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import {
  type RedisServer,
  redisSkipReason,
  startRedis,
} from '../../server/test/helpers/redis-server.js';
import { tempDir } from './helpers/emulator.js';
import { type CliEmulator, startCli } from './helpers/reliability-cli.js';

const skip = redisSkipReason();
if (skip) process.stdout.write(`# reliability-load skipped: ${skip} (CI is not 'true')\n`);

/** How long the load runs, and when Redis goes down and comes back (ms from the start). */
const RUN_MS = 6000;
const REDIS_DOWN_AT = 1500;
const REDIS_UP_AT = 3500;

interface Subscription {
  id: string;
  quantity: number;
  status: string;
  attributes: { etag: string };
}

describe('reliability: load with Redis outage and commerce faults', { skip }, () => {
  const dir = tempDir('apifault-reliability-load-');
  let redis: RedisServer | undefined;
  let emu: CliEmulator | undefined;
  after(async () => {
    await emu?.kill();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('no acknowledged write lost, every error a contract error, idempotent requests complete', async (t) => {
    redis = await startRedis();
    const file = join(dir, 'load.db');
    emu = await startCli([
      '--db',
      file,
      '--redis',
      redis.url,
      '--fault',
      'commerce=502,p=0.1',
      '--seed',
      '42',
      '--rate-limit',
      '100000/10s',
      // The contract wire sends RateLimit headers: they tell a request the limiter counted
      // (in Redis) from one it let through failing open. Partner Center's wire sends none.
      '--wire',
      'contract',
    ]);
    const token = emu.token;

    // Every error response any attempt receives, checked against the contract.
    const statuses = new Map<number, number>();
    const badBodies: string[] = [];
    let failedOpen = 0;
    const checkedFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      // Admitted without a `RateLimit` count: the limiter failed open (Redis unreachable).
      if (res.ok && !res.headers.has('ratelimit')) failedOpen++;
      if (res.status >= 400) {
        const text = await res.clone().text();
        let violations: unknown[];
        try {
          violations = validateErrorBody(JSON.parse(text));
        } catch {
          violations = ['not JSON'];
        }
        if (violations.length > 0 || res.status === 500) {
          badBodies.push(`${res.status} ${text.slice(0, 200)}`);
        }
      }
      return res;
    };
    const client = createClient({
      baseUrl: emu.url,
      credential: () => token,
      fetch: checkedFetch,
      timeout: 5000,
      retry: { attempts: 8, baseDelayMs: 10, maxDelayMs: 200, deadlineMs: 20_000 },
    });

    const customer = `/v1/customers/${SEED_CUSTOMERS.adatum}`;
    const listed = await client.get<{ items: Subscription[] }>(`${customer}/subscriptions`);
    const owned = listed.data.items.filter((s) => s.status === 'active').slice(0, 2);
    assert.ok(owned.length > 0, 'an active subscription to update');

    const orders: string[] = [];
    const orderErrors: unknown[] = [];
    const incomplete: string[] = [];
    const patched = new Map(
      owned.map((s) => [s.id, { quantity: s.quantity, etag: s.attributes.etag }]),
    );
    let reads = 0;
    let updates = 0;
    const started = Date.now();
    const running = (): boolean => Date.now() - started < RUN_MS;

    /** Idempotent reads: the client must get each one through, whatever happens. */
    const reader = async (): Promise<void> => {
      while (running()) {
        try {
          await client.get(customer);
          await client.get(`${customer}/subscriptions`);
          reads += 2;
        } catch (error) {
          incomplete.push(`GET: ${String(error)}`);
        }
      }
    };
    /** Orders: not idempotent, so a commerce 502 reaches the caller as a contract error. */
    const orderer = async (): Promise<void> => {
      while (running()) {
        try {
          const res = await client.post<{ id: string }>(`${customer}/orders`, {
            body: { lineItems: [{ offerId: 'CFQ7TTC0LH18:0001', quantity: 1 }] },
          });
          if (res.status === 201) orders.push(res.data.id);
        } catch (error) {
          orderErrors.push(error);
        }
      }
    };
    /** Absolute-quantity PATCHes under If-Match: safe to retry, so marked idempotent. */
    const updater = (id: string) => async (): Promise<void> => {
      while (running()) {
        const state = patched.get(id)!;
        try {
          const res = await client.patch<Subscription>(`${customer}/subscriptions/${id}`, {
            body: { quantity: state.quantity + 1 },
            ifMatch: state.etag,
            idempotent: true,
          });
          patched.set(id, { quantity: res.data.quantity, etag: res.data.attributes.etag });
          updates++;
        } catch (error) {
          incomplete.push(`PATCH: ${String(error)}`);
          return;
        }
      }
    };

    const outage = (async () => {
      await sleep(REDIS_DOWN_AT);
      await redis!.kill();
      await sleep(REDIS_UP_AT - REDIS_DOWN_AT);
      await redis!.restart();
    })();
    await Promise.all([
      reader(),
      reader(),
      orderer(),
      orderer(),
      ...owned.map((s) => updater(s.id)()),
      outage,
    ]);

    t.diagnostic(
      `${reads} reads, ${orders.length} orders acknowledged, ${orderErrors.length} orders refused, ` +
        `${updates} updates, ${failedOpen} admitted while Redis was down; ` +
        `statuses seen ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    assert.deepEqual(incomplete, [], 'every idempotent request completed');
    assert.deepEqual(badBodies, [], 'every error response is a contract error, none a 500');
    for (const error of orderErrors) {
      assert.ok(isApiResponseError(error), `a typed contract error, not ${String(error)}`);
      assert.equal(error.status, 502, error.message);
      assert.deepEqual(error.deviations, [], 'the body needed no repair');
    }
    assert.ok(orders.length > 0 && reads > 0 && updates > 0, 'load on every route');
    assert.ok(statuses.get(502)! > 0, 'the commerce faults fired');
    assert.ok(failedOpen > 0, 'the outage reached the rate limiter, which failed open');

    // Every acknowledged write is in the database, and the last update of each subscription.
    const db = new Database(file, { readonly: true });
    try {
      const order = db.prepare<[string], { id: string }>('SELECT id FROM orders WHERE id = ?');
      assert.deepEqual(
        orders.filter((id) => order.get(id) === undefined),
        [],
        'every 201 order is stored',
      );
      const row = db.prepare<[string], { quantity: number }>(
        'SELECT quantity FROM subscriptions WHERE id = ?',
      );
      for (const [id, state] of patched) assert.equal(row.get(id)?.quantity, state.quantity, id);
    } finally {
      db.close();
    }

    // The rate-limit state lives in Redis again: the emulator reconnected without a restart.
    // (polled, bounded: ioredis reconnects with a backoff of up to 1 s)
    let counted = false;
    for (let i = 0; i < 25 && !counted; i++) {
      counted = (await client.get(customer)).headers.has('ratelimit');
      if (!counted) await sleep(200);
    }
    assert.ok(counted, 'counted again after the restart');
    const probe = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await probe.connect();
      assert.ok((await probe.dbsize()) > 0, 'rate-limit keys written after the restart');
    } finally {
      probe.disconnect();
    }
  });
});
