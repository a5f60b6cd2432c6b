/**
 * Carts and checkout, and order provisioning: the documented shapes, each error from its real
 * cause, the checkout's own idempotency, and the commerce upstream's 502/504 and orderErrors.
 */

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { parseFaultRule, SEED_CUSTOMERS } from '@apifault/emulator';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';
import { purchases } from './helpers/purchase-walk.js';

const BASIC = 'CFQ7TTC0LH18:0001:CFQ7TTC0K59J';
const E3 = 'CFQ7TTC0LFLZ:0001:CFQ7TTC0K5H6';
const RETIRED = 'CFQ7TTC0LFLZ:0002:CFQ7TTC0K5J8';
const DAY = 24 * 3600 * 1000;
const CARTS = `/v1/customers/${SEED_CUSTOMERS.adatum}/carts`;
const ORDERS = `/v1/customers/${SEED_CUSTOMERS.adatum}/orders`;

let emu: TestEmulator;
let headers: Record<string, string>;
let clock = Date.now();

interface Answer {
  status: number;
  etag: string | null;
  body: Record<string, unknown>;
  text: string;
}

async function call(method: string, path: string, body?: unknown, extra = {}): Promise<Answer> {
  const response = await fetch(`${emu.url}${path}`, {
    method,
    headers: {
      ...headers,
      ...extra,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    body: JSON.parse(text) as Record<string, unknown>,
    text,
  };
}

function line(catalogItemId: string, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { catalogItemId, quantity: 2, billingCycle: 'monthly', termDuration: 'P1M', ...more };
}

async function newCart(lines: unknown[]): Promise<Answer> {
  const answer = await call('POST', CARTS, { lineItems: lines });
  assert.equal(answer.status, 201, answer.text);
  return answer;
}

before(async () => {
  emu = await startTestEmulator({ now: () => new Date(clock), provisioningDelayMs: 60_000 });
  headers = { authorization: `Bearer ${await emu.token()}` };
});
after(() => emu.close());
beforeEach(() => emu.emulator.faults.clear());

describe('carts', () => {
  it('creates an Active cart that expires 7 days later, with order groups per billing cycle', async () => {
    const { body, etag } = await newCart([
      line(BASIC),
      line(E3, { billingCycle: 'annual', termDuration: 'P1Y' }),
    ]);
    assert.equal(body.status, 'Active');
    assert.equal(
      Date.parse(String(body.expirationTimestamp)) - Date.parse(String(body.creationTimestamp)),
      7 * DAY,
    );
    const lines = body.lineItems as { id: number; orderGroup: string; currencyCode: string }[];
    assert.deepEqual(
      lines.map((l) => [l.id, l.orderGroup, l.currencyCode]),
      [
        [0, '0', 'USD'],
        [1, '1', 'USD'],
      ],
    );
    assert.deepEqual(body.attributes, { objectType: 'Cart', etag: etag?.slice(1, -1) });
    const read = await call('GET', `${CARTS}/${body.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.etag, etag);
  });

  it('400 800009 lists every bad line with its own code', async () => {
    const answer = await call('POST', CARTS, {
      lineItems: [
        line('NOPE:0001:X'),
        line(RETIRED),
        line(BASIC, { quantity: 301 }),
        line(BASIC, { termDuration: 'P3Y' }),
        line(BASIC, { billingCycle: 'triennial' }),
        { quantity: 1, billingCycle: 'monthly', termDuration: 'P1M' },
        line(E3),
      ],
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.code, '800009');
    const data = answer.body.data as { lineItemId: number; code: string }[];
    assert.deepEqual(
      data.map((d) => [d.lineItemId, d.code]),
      [
        [0, '800004'],
        [1, '800020'],
        [2, '800017'],
        [3, '800028'],
        [4, '800002'],
        [5, '900142'],
      ],
    );
  });

  it('400 3000 for a body that is not a cart', async () => {
    const answer = await call('POST', CARTS, { lineItems: [] });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.code, '3000');
  });

  it('404 800008 for an unknown cart, and for an Active cart past its expiration', async () => {
    assert.equal((await call('GET', `${CARTS}/nope`)).body.code, '800008');
    const { body } = await newCart([line(BASIC)]);
    clock += 7 * DAY + 1;
    try {
      for (const [method, path] of [
        ['GET', `${CARTS}/${body.id}`],
        ['POST', `${CARTS}/${body.id}/checkout`],
      ] as const) {
        const expired = await call(method, path);
        assert.equal(expired.status, 404, `${method} ${path}`);
        assert.equal(expired.body.code, '800008');
        assert.match(String(expired.body.description), /expired/);
      }
    } finally {
      clock -= 7 * DAY + 1;
    }
  });

  it("403 20002 for a cart of another partner's customer", async () => {
    const answer = await call('POST', `/v1/customers/${SEED_CUSTOMERS.tailspin}/carts`, {
      lineItems: [line(BASIC)],
    });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.code, '20002');
  });

  it('PUT replaces the lines under If-Match: 412 800036 without it, 412 2055 with a stale one', async () => {
    const { body, etag } = await newCart([line(BASIC)]);
    const path = `${CARTS}/${body.id}`;
    const missing = await call('PUT', path, { lineItems: [line(BASIC, { quantity: 9 })] });
    assert.equal(missing.status, 412);
    assert.equal(missing.body.code, '800036');
    const updated = await call(
      'PUT',
      path,
      { lineItems: [line(BASIC, { quantity: 9 })] },
      {
        'if-match': etag,
      },
    );
    assert.equal(updated.status, 200, updated.text);
    assert.equal((updated.body.lineItems as { quantity: number }[])[0]?.quantity, 9);
    const stale = await call('PUT', path, { lineItems: [line(BASIC)] }, { 'if-match': etag });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.code, '2055');
  });

  it('checkout writes the orders and subscriptions; a second checkout answers the same bytes; PUT then is 400 800065', async () => {
    const before = purchases(emu.emulator);
    const { body } = await newCart([
      line(BASIC),
      line(E3, { billingCycle: 'annual', termDuration: 'P1Y' }),
    ]);
    const first = await call('POST', `${CARTS}/${body.id}/checkout`);
    assert.equal(first.status, 201, first.text);
    const orders = first.body.orders as { status: string; billingCycle: string }[];
    assert.deepEqual(
      orders.map((o) => [o.billingCycle, o.status]),
      [
        ['monthly', 'pending'],
        ['annual', 'pending'],
      ],
    );
    assert.deepEqual(first.body.orderErrors, []);
    const second = await call('POST', `${CARTS}/${body.id}/checkout`);
    assert.equal(second.status, 201);
    assert.equal(second.text, first.text);
    assert.deepEqual(purchases(emu.emulator), {
      orders: before.orders + 2,
      subscriptions: before.subscriptions + 2,
    });
    const cart = await call('GET', `${CARTS}/${body.id}`);
    assert.equal(cart.body.status, 'Ordered');
    const put = await call(
      'PUT',
      `${CARTS}/${body.id}`,
      { lineItems: [line(BASIC)] },
      {
        'if-match': cart.etag,
      },
    );
    assert.equal(put.status, 400);
    assert.equal(put.body.code, '800065');
  });

  it('commerce failing on every group: 502 800005, nothing written, the retry buys once', async () => {
    const before = purchases(emu.emulator);
    const { body } = await newCart([line(BASIC)]);
    emu.emulator.faults.replace([parseFaultRule('commerce=503,first=1')]);
    const failed = await call('POST', `${CARTS}/${body.id}/checkout`);
    assert.equal(failed.status, 502);
    assert.equal(failed.body.code, '800005');
    assert.deepEqual(purchases(emu.emulator), before);
    const retried = await call('POST', `${CARTS}/${body.id}/checkout`);
    assert.equal(retried.status, 201);
    assert.deepEqual(purchases(emu.emulator), {
      orders: before.orders + 1,
      subscriptions: before.subscriptions + 1,
    });
  });

  it('commerce timing out: 504 800005', async () => {
    const emu504 = await startTestEmulator({
      commerceTimeoutMs: 50,
      faults: [parseFaultRule('commerce=timeout')],
    });
    try {
      const auth = { authorization: `Bearer ${await emu504.token()}` };
      const created = await fetch(`${emu504.url}${CARTS}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ lineItems: [line(BASIC)] }),
      });
      const cart = (await created.json()) as { id: string };
      const answer = await fetch(`${emu504.url}${CARTS}/${cart.id}/checkout`, {
        method: 'POST',
        headers: auth,
      });
      assert.equal(answer.status, 504);
      assert.equal(((await answer.json()) as { code: string }).code, '800005');
    } finally {
      await emu504.close();
    }
  });

  it('commerce failing on one group: 201 with that group in orderErrors; the next checkout buys only it', async () => {
    const before = purchases(emu.emulator);
    const { body } = await newCart([
      line(BASIC),
      line(E3, { billingCycle: 'annual', termDuration: 'P1Y' }),
    ]);
    emu.emulator.faults.replace([parseFaultRule('commerce=503,first=1')]);
    const partial = await call('POST', `${CARTS}/${body.id}/checkout`);
    assert.equal(partial.status, 201, partial.text);
    assert.equal((partial.body.orders as unknown[]).length, 1);
    const errors = partial.body.orderErrors as { orderGroupId: string; code: number }[];
    assert.deepEqual(
      errors.map((e) => [e.orderGroupId, e.code]),
      [['0', 800005]],
    );
    assert.equal((await call('GET', `${CARTS}/${body.id}`)).body.status, 'Active');
    const rest = await call('POST', `${CARTS}/${body.id}/checkout`);
    assert.equal(rest.status, 201);
    assert.equal((rest.body.orders as unknown[]).length, 2);
    assert.deepEqual(rest.body.orderErrors, []);
    assert.deepEqual(purchases(emu.emulator), {
      orders: before.orders + 2,
      subscriptions: before.subscriptions + 2,
    });
  });
});

describe('order provisioning status', () => {
  it('pending until the provisioning delay has passed, then fulfilled; the order completes', async () => {
    const { body } = await newCart([line(BASIC, { quantity: 4 })]);
    const checkout = await call('POST', `${CARTS}/${body.id}/checkout`);
    const orderId = (checkout.body.orders as { id: string }[])[0]?.id;
    const path = `${ORDERS}/${orderId}/provisioningstatus`;
    const pending = await call('GET', path);
    assert.equal(pending.status, 200);
    assert.deepEqual(pending.body.items, [
      {
        lineItemNumber: 0,
        status: 'pending',
        quantityProvisioningInformation: [{ quantity: 4, status: 'pending' }],
      },
    ]);
    assert.equal((await call('GET', `${ORDERS}/${orderId}`)).body.status, 'pending');
    clock += 60_000;
    try {
      const done = await call('GET', path);
      assert.equal((done.body.items as { status: string }[])[0]?.status, 'fulfilled');
      assert.equal((await call('GET', `${ORDERS}/${orderId}`)).body.status, 'completed');
    } finally {
      clock -= 60_000;
    }
  });

  it('an order created with POST …/orders is fulfilled at once', async () => {
    const orders = await call('GET', ORDERS);
    const id = (orders.body.items as { id: string }[])[0]?.id;
    const status = await call('GET', `${ORDERS}/${id}/provisioningstatus`);
    assert.equal((status.body.items as { status: string }[])[0]?.status, 'fulfilled');
  });

  it('404 800007 for an order that does not exist', async () => {
    const answer = await call('GET', `${ORDERS}/nope/provisioningstatus`);
    assert.equal(answer.status, 404);
    assert.equal(answer.body.code, '800007');
  });
});
