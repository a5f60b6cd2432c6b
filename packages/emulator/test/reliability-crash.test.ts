/**
 * Crash safety on every write route: `apifault start` in a child process takes concurrent
 * customer creations, order creations and subscription PATCHes, is killed with SIGKILL in
 * the middle, and the database it leaves passes `PRAGMA integrity_check` and holds every
 * write that was acknowledged; a restarted emulator serves them.
 */

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SEED_CUSTOMERS } from '@apifault/emulator';
import Database from 'better-sqlite3';
import { tempDir } from './helpers/emulator.js';
import { startCli } from './helpers/reliability-cli.js';

interface Subscription {
  id: string;
  quantity: number;
  status: string;
  attributes: { etag: string };
}

/** The last acknowledged state of a subscription a PATCH worker owns. */
interface Patched {
  customer: string;
  quantity: number;
  etag: string;
  acknowledged: number;
}

const unquote = (etag: string): string => etag.replace(/^W\//, '').replace(/^"|"$/g, '');

describe('reliability: kill -9 during writes on every write route', () => {
  const dir = tempDir('apifault-reliability-crash-');
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('every acknowledged customer, order and subscription update survives', async (t) => {
    const file = join(dir, 'crash.db');
    const emu = await startCli(['--db', file, '--rate-limit', 'off']);
    const headers = {
      authorization: `Bearer ${emu.token}`,
      'content-type': 'application/json',
    };
    const customers: string[] = [];
    const orders: string[] = [];
    const patched = new Map<string, Patched>();
    const unexpected: string[] = [];
    let stop = false;

    // Active subscriptions of two seeded customers: each gets its own PATCH worker.
    for (const customer of [SEED_CUSTOMERS.adatum, SEED_CUSTOMERS.litware]) {
      const res = await fetch(`${emu.url}/v1/customers/${customer}/subscriptions`, { headers });
      const list = (await res.json()) as { items: Subscription[] };
      for (const s of list.items.filter((item) => item.status === 'active').slice(0, 2)) {
        patched.set(s.id, {
          customer,
          quantity: s.quantity,
          etag: unquote(s.attributes.etag),
          acknowledged: 0,
        });
      }
    }
    assert.ok(patched.size >= 2, 'active subscriptions to update');

    /** Runs `write` until the kill; a network error means the server is gone. */
    const loop = async (write: () => Promise<void>): Promise<void> => {
      while (!stop) {
        try {
          await write();
        } catch {
          return;
        }
      }
    };
    const createCustomer = async (): Promise<void> => {
      const res = await fetch(`${emu.url}/v1/customers`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          companyProfile: { domain: `crash-${randomUUID()}.onmicrosoft.com`, companyName: 'C' },
          billingProfile: { email: 'ops@example.com', firstName: 'A', lastName: 'B' },
        }),
      });
      if (res.status === 201) customers.push(((await res.json()) as { id: string }).id);
      else unexpected.push(`customer ${res.status}`);
    };
    const createOrder = async (): Promise<void> => {
      const res = await fetch(`${emu.url}/v1/customers/${SEED_CUSTOMERS.adatum}/orders`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ lineItems: [{ offerId: 'CFQ7TTC0LH18:0001', quantity: 1 }] }),
      });
      if (res.status === 201) orders.push(((await res.json()) as { id: string }).id);
      else unexpected.push(`order ${res.status}`);
    };
    const patch = (id: string) => async (): Promise<void> => {
      const state = patched.get(id)!;
      const res = await fetch(`${emu.url}/v1/customers/${state.customer}/subscriptions/${id}`, {
        method: 'PATCH',
        headers: { ...headers, 'if-match': `"${state.etag}"` },
        body: JSON.stringify({ quantity: state.quantity + 1 }),
      });
      if (res.status !== 200) {
        unexpected.push(`patch ${res.status}`);
        return;
      }
      const body = (await res.json()) as Subscription;
      patched.set(id, {
        ...state,
        quantity: body.quantity,
        etag: unquote(body.attributes.etag),
        acknowledged: state.acknowledged + 1,
      });
    };

    const workers = [
      loop(createCustomer),
      loop(createCustomer),
      loop(createOrder),
      loop(createOrder),
      ...[...patched.keys()].map((id) => loop(patch(id))),
    ];
    const total = (): number =>
      customers.length +
      orders.length +
      [...patched.values()].reduce((n, p) => n + p.acknowledged, 0);
    // Kill once a good number of writes are in, bounded in time either way.
    const deadline = Date.now() + 6000;
    while (total() < 300 && Date.now() < deadline) await sleep(10);
    await emu.kill();
    stop = true;
    await Promise.all(workers);
    t.diagnostic(
      `acknowledged before kill -9: ${customers.length} customers, ${orders.length} orders, ` +
        `${total() - customers.length - orders.length} subscription updates`,
    );
    assert.deepEqual(unexpected, [], 'no write was refused before the kill');
    assert.ok(customers.length > 0 && orders.length > 0, 'writes on every route before the kill');

    const db = new Database(file);
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      assert.deepEqual(db.pragma('foreign_key_check'), []);
      const customer = db.prepare<[string], { id: string }>(
        'SELECT id FROM customers WHERE id = ?',
      );
      assert.deepEqual(
        customers.filter((id) => customer.get(id) === undefined),
        [],
        'every acknowledged customer is stored',
      );
      const order = db.prepare<[string], { n: number }>(
        'SELECT count(*) AS n FROM order_line_items WHERE order_id = ?',
      );
      assert.deepEqual(
        orders.filter((id) => (order.get(id)?.n ?? 0) === 0),
        [],
        'every acknowledged order is stored with its line items',
      );
      const subscription = db.prepare<[string], { quantity: number; etag: string }>(
        'SELECT quantity, etag FROM subscriptions WHERE id = ?',
      );
      for (const [id, acked] of patched) {
        const row = subscription.get(id)!;
        // The last acknowledged update, or one more that landed as the process died.
        assert.ok(
          row.quantity === acked.quantity || row.quantity === acked.quantity + 1,
          `${id}: stored ${row.quantity}, acknowledged ${acked.quantity}`,
        );
        if (row.quantity === acked.quantity) assert.equal(unquote(row.etag), acked.etag, id);
      }
    } finally {
      db.close();
    }

    // A restarted emulator on the same file serves what was acknowledged.
    const again = await startCli(['--db', file, '--rate-limit', 'off']);
    try {
      const auth = { authorization: `Bearer ${again.token}` };
      for (const id of [customers[0]!, customers.at(-1)!]) {
        assert.equal(
          (await fetch(`${again.url}/v1/customers/${id}`, { headers: auth })).status,
          200,
        );
      }
      const last = orders.at(-1)!;
      const res = await fetch(`${again.url}/v1/customers/${SEED_CUSTOMERS.adatum}/orders/${last}`, {
        headers: auth,
      });
      assert.equal(res.status, 200);
    } finally {
      await again.kill();
    }
  });
});
