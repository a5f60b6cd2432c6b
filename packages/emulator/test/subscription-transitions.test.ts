/**
 * Subscription PATCH transitions of new commerce: suspend, reactivate, cancel within the 7-day
 * cancellation window (900117 after it), auto-renew, quantity up any time and down only in the
 * window, and what a suspended or cancelled subscription refuses.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SEED_CUSTOMERS } from '@apifault/emulator';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';

const CUSTOMER = `/v1/customers/${SEED_CUSTOMERS.adatum}`;
const DAY = 24 * 3600 * 1000;

let emu: TestEmulator;
let headers: Record<string, string>;
let clock = Date.now();

async function call(method: string, path: string, body?: unknown, etag?: string | null) {
  const response = await fetch(`${emu.url}${path}`, {
    method,
    headers: {
      ...headers,
      ...(etag ? { 'if-match': etag } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** A subscription bought through a cart now (inside its cancellation window). */
async function freshSubscription(): Promise<string> {
  const cart = await call('POST', `${CUSTOMER}/carts`, {
    lineItems: [
      {
        catalogItemId: 'CFQ7TTC0LDPB:0001:CFQ7TTC0K5DM',
        quantity: 5,
        billingCycle: 'annual',
        termDuration: 'P1Y',
      },
    ],
  });
  const checkout = await call('POST', `${CUSTOMER}/carts/${cart.body.id}/checkout`);
  const [order] = checkout.body.orders as { lineItems: { subscriptionId: string }[] }[];
  const id = order?.lineItems[0]?.subscriptionId;
  assert.ok(id);
  return `${CUSTOMER}/subscriptions/${id}`;
}

/** PATCHes with the current ETag. */
async function patch(path: string, body: Record<string, unknown>) {
  const current = await call('GET', path);
  return call('PATCH', path, body, current.etag);
}

before(async () => {
  emu = await startTestEmulator({ now: () => new Date(clock), provisioningDelayMs: 0 });
  headers = { authorization: `Bearer ${await emu.token()}` };
});
after(() => emu.close());

describe('subscription transitions', () => {
  it('suspend, then reactivate; the term bought is on the subscription', async () => {
    const path = await freshSubscription();
    const bought = await call('GET', path);
    assert.equal(bought.body.termDuration, 'P1Y');
    assert.equal(bought.body.billingCycle, 'annual');
    const suspended = await patch(path, { status: 'suspended' });
    assert.equal(suspended.status, 200);
    assert.equal(suspended.body.status, 'suspended');
    const active = await patch(path, { status: 'active' });
    assert.equal(active.body.status, 'active');
  });

  it('a suspended subscription refuses quantity and auto-renew changes (800091) unless reactivated in the same PATCH', async () => {
    const path = await freshSubscription();
    await patch(path, { status: 'suspended' });
    for (const body of [{ quantity: 6 }, { autoRenewEnabled: false }]) {
      const refused = await patch(path, body);
      assert.equal(refused.status, 400);
      assert.equal(refused.body.code, '800091');
    }
    const both = await patch(path, { status: 'active', quantity: 6 });
    assert.equal(both.status, 200);
    assert.equal(both.body.quantity, 6);
  });

  it('autoRenewEnabled turns off and on', async () => {
    const path = await freshSubscription();
    assert.equal((await patch(path, { autoRenewEnabled: false })).body.autoRenewEnabled, false);
    assert.equal((await patch(path, { autoRenewEnabled: true })).body.autoRenewEnabled, true);
  });

  it('quantity: a decrease inside the window, an increase any time, a decrease after it is 800090', async () => {
    const path = await freshSubscription();
    assert.equal((await patch(path, { quantity: 3 })).body.quantity, 3);
    clock += 8 * DAY;
    try {
      assert.equal((await patch(path, { quantity: 10 })).body.quantity, 10);
      const refused = await patch(path, { quantity: 2 });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.code, '800090');
    } finally {
      clock -= 8 * DAY;
    }
  });

  it('cancel within 7 days: deleted, no auto-renew, and nothing changes it afterwards (2011)', async () => {
    const path = await freshSubscription();
    const cancelled = await patch(path, { status: 'deleted' });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'deleted');
    assert.equal(cancelled.body.autoRenewEnabled, false);
    const reactivate = await patch(path, { status: 'active' });
    assert.equal(reactivate.status, 400);
    assert.equal(reactivate.body.code, '2011');
  });

  it('cancel after the 7-day window: 400 900117', async () => {
    const path = await freshSubscription();
    clock += 7 * DAY + 1;
    try {
      const refused = await patch(path, { status: 'deleted' });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.code, '900117');
      assert.match(String(refused.body.description), /7-day cancellation window/);
      assert.equal((await call('GET', path)).body.status, 'active');
    } finally {
      clock -= 7 * DAY + 1;
    }
  });
});
