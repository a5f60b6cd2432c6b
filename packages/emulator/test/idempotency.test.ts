/**
 * MS-RequestId through @apifault/server's idempotency stage, on every creation of the
 * emulator: a repeat replays the first answer byte for byte, a key reused for another request
 * is refused and creates nothing, a partner never sees another's answer, a 5xx is not kept.
 */

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { validateErrorBody } from '@apifault/contract';
import { OTHER_PARTNER, parseFaultRule, SEED_CUSTOMERS } from '@apifault/emulator';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';

const BASIC = 'CFQ7TTC0LH18:0001:CFQ7TTC0K59J';
const ORDERS = `/v1/customers/${SEED_CUSTOMERS.northwind}/orders`;
const CARTS = `/v1/customers/${SEED_CUSTOMERS.adatum}/carts`;
const ORDER_BODY = { lineItems: [{ offerId: 'CFQ7TTC0LH18:0001', quantity: 4 }] };

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}

let emu: TestEmulator;
let token: string;

/** POSTs `body` (raw text, or JSON) with `requestId` as the partner of `as`. */
async function post(
  path: string,
  requestId: string,
  body?: unknown,
  as: string = token,
): Promise<Answer> {
  const response = await fetch(`${emu.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${as}`,
      'ms-requestid': requestId,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
}

function orderCount(): number {
  return emu.emulator.store.orders.count();
}

function customerCount(): number {
  return emu.emulator.store.customers.count();
}

function assertReused(answer: Answer, parts: string[]): void {
  assert.equal(answer.status, 409, answer.text);
  assert.deepEqual(validateErrorBody(answer.body), []);
  assert.equal(answer.body.code, 'IdempotencyKeyReused');
  assert.deepEqual(answer.body.data, parts);
  assert.equal(answer.headers.get('idempotent-replayed'), null);
}

before(async () => {
  emu = await startTestEmulator({ rateLimit: false, provisioningDelayMs: 0 });
  token = await emu.token();
});
after(() => emu.close());
beforeEach(() => emu.emulator.faults.clear());

describe('idempotent creations', () => {
  it('an order sent twice with one MS-RequestId is created once, the repeat the same bytes', async () => {
    const before = orderCount();
    const key = randomUUID();
    const first = await post(ORDERS, key, ORDER_BODY);
    assert.equal(first.status, 201, first.text);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const again = await post(ORDERS, key, ORDER_BODY);
    assert.equal(again.status, 201);
    assert.equal(again.text, first.text);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.headers.get('location'), first.headers.get('location'));
    assert.equal(again.headers.get('etag'), first.headers.get('etag'));
    assert.equal(orderCount(), before + 1);
    const other = await post(ORDERS, randomUUID(), ORDER_BODY);
    assert.notEqual(other.body.id, first.body.id);
    assert.equal(orderCount(), before + 2);
  });

  it('a customer key reused for an order is 409 IdempotencyKeyReused on every retry, and creates nothing', async () => {
    const key = randomUUID();
    const customerBody = {
      companyProfile: { domain: 'wingtiptoys.onmicrosoft.com', companyName: 'Wingtip Toys' },
      billingProfile: { email: 'a@wingtiptoys.onmicrosoft.com' },
    };
    const created = await post('/v1/customers', key, customerBody);
    assert.equal(created.status, 201, created.text);
    const orders = `/v1/customers/${String(created.body.id)}/orders`;
    const before = orderCount();
    for (let attempt = 1; attempt <= 3; attempt++) {
      assertReused(await post(orders, key, ORDER_BODY), ['path', 'body']);
    }
    assert.equal(orderCount(), before);
    // The same path with another body: refused too; the genuine retry still replays.
    const otherBody = {
      ...customerBody,
      companyProfile: { domain: 'proseware.onmicrosoft.com', companyName: 'Proseware' },
    };
    const customers = customerCount();
    assertReused(await post('/v1/customers', key, otherBody), ['body']);
    assert.equal(customerCount(), customers);
    const again = await post('/v1/customers', key, customerBody);
    assert.equal(again.status, 201);
    assert.equal(again.text, created.text);
    assert.equal(customerCount(), customers);
  });

  it('a partner never replays another partner’s answer: the same key and body run for it', async () => {
    const key = randomUUID();
    const body = {
      companyProfile: { domain: 'fourthcoffee.onmicrosoft.com', companyName: 'Fourth Coffee' },
      billingProfile: { email: 'a@fourthcoffee.onmicrosoft.com' },
    };
    const mine = await post('/v1/customers', key, body);
    assert.equal(mine.status, 201, mine.text);
    const theirs = await post('/v1/customers', key, body, await emu.token(OTHER_PARTNER));
    // It ran: the domain is taken, and the other partner's customer is not shown.
    assert.equal(theirs.status, 409, theirs.text);
    assert.equal(theirs.body.code, '1003');
    assert.equal(theirs.headers.get('idempotent-replayed'), null);
    assert.doesNotMatch(theirs.text, new RegExp(String(mine.body.id)));
  });

  it('a 5xx is not kept: the retry with the same key runs again and creates once', async () => {
    emu.emulator.faults.replace([parseFaultRule('commerce=503,first=1')]);
    const before = orderCount();
    const key = randomUUID();
    const failed = await post(ORDERS, key, ORDER_BODY);
    assert.equal(failed.status, 502, failed.text);
    assert.equal(orderCount(), before);
    const retried = await post(ORDERS, key, ORDER_BODY);
    assert.equal(retried.status, 201, retried.text);
    assert.equal(retried.headers.get('idempotent-replayed'), null);
    assert.equal(orderCount(), before + 1);
  });
});

describe('idempotent checkouts', () => {
  async function newCart(): Promise<string> {
    const line = {
      catalogItemId: BASIC,
      quantity: 2,
      billingCycle: 'monthly',
      termDuration: 'P1M',
    };
    const cart = await post(CARTS, randomUUID(), { lineItems: [line] });
    assert.equal(cart.status, 201, cart.text);
    return String(cart.body.id);
  }

  it('a checkout sent twice with one MS-RequestId replays the same bytes', async () => {
    const cart = await newCart();
    const key = randomUUID();
    const before = orderCount();
    const first = await post(`${CARTS}/${cart}/checkout`, key);
    assert.equal(first.status, 201, first.text);
    const again = await post(`${CARTS}/${cart}/checkout`, key);
    assert.equal(again.status, 201);
    assert.equal(again.text, first.text);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(orderCount(), before + 1);
  });

  it('its key with another body or another cart is refused and buys nothing', async () => {
    const cart = await newCart();
    const other = await newCart();
    const key = randomUUID();
    const first = await post(`${CARTS}/${cart}/checkout`, key);
    assert.equal(first.status, 201, first.text);
    const before = orderCount();
    assertReused(await post(`${CARTS}/${cart}/checkout`, key, {}), ['body']);
    assertReused(await post(`${CARTS}/${other}/checkout`, key), ['path']);
    assert.equal(orderCount(), before);
    const untouched = await fetch(`${emu.url}${CARTS}/${other}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(((await untouched.json()) as { status: string }).status, 'Active');
  });
});
