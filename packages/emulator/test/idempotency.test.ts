/** MS-RequestId is the idempotency key of creations: a retried POST replays its first result. */

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type Client, createClient, isApiResponseError } from '@apifault/client';
import { validateErrorBody } from '@apifault/contract';
import { SEED_CUSTOMERS } from '@apifault/emulator';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';

describe('idempotent creations', () => {
  let emu: TestEmulator;
  let client: Client;
  before(async () => {
    emu = await startTestEmulator();
    const token = await emu.token();
    client = createClient({ baseUrl: emu.url, retry: { attempts: 1 }, credential: () => token });
  });
  after(() => emu.close());

  it('an order sent twice with one MS-RequestId is created once', async () => {
    const path = `/v1/customers/${SEED_CUSTOMERS.northwind}/orders`;
    const before = (await client.get<{ items: unknown[] }>(path)).data.items.length;
    const requestId = randomUUID();
    const body = { lineItems: [{ offerId: 'CFQ7TTC0LH18:0001', quantity: 4 }] };
    const first = await client.post<{ id: string }>(path, { body, requestId });
    const again = await client.post<{ id: string }>(path, { body, requestId });
    assert.equal(again.status, 201);
    assert.equal(again.data.id, first.data.id);
    const other = await client.post<{ id: string }>(path, { body, requestId: randomUUID() });
    assert.notEqual(other.data.id, first.data.id);
    assert.equal((await client.get<{ items: unknown[] }>(path)).data.items.length, before + 2);
  });

  it('a customer retried with its MS-RequestId is 201 again, another request for the domain 409', async () => {
    const requestId = randomUUID();
    const body = {
      companyProfile: { domain: 'fourthcoffee.onmicrosoft.com', companyName: 'Fourth Coffee' },
      billingProfile: { email: 'a@fourthcoffee.onmicrosoft.com' },
    };
    const first = await client.post<{ id: string }>('/v1/customers', { body, requestId });
    const again = await client.post<{ id: string }>('/v1/customers', { body, requestId });
    assert.equal(again.status, 201);
    assert.equal(again.data.id, first.data.id);
    await assert.rejects(
      client.post('/v1/customers', { body, requestId: randomUUID() }),
      (error) => {
        assert.ok(isApiResponseError(error));
        assert.equal(error.status, 409);
        return true;
      },
    );
  });

  it('a request id reused for another operation is a 409 naming that operation, and creates nothing', async () => {
    const token = await emu.token();
    const requestId = randomUUID();
    const send = (path: string, body: unknown) =>
      fetch(`${emu.url}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'ms-requestid': requestId,
        },
        body: JSON.stringify(body),
      });
    const customerBody = {
      companyProfile: { domain: 'wingtiptoys.onmicrosoft.com', companyName: 'Wingtip Toys' },
      billingProfile: { email: 'a@wingtiptoys.onmicrosoft.com' },
    };
    const created = await send('/v1/customers', customerBody);
    assert.equal(created.status, 201);
    const customer = ((await created.json()) as { id: string }).id;
    const orders = `/v1/customers/${customer}/orders`;
    const orderBody = { lineItems: [{ offerId: 'CFQ7TTC0LH18:0001', quantity: 3 }] };
    // One order sent three times (a client retrying) with the customer's request id.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const res = await send(orders, orderBody);
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(res.status, 409, `attempt ${attempt}: ${JSON.stringify(body)}`);
      assert.deepEqual(validateErrorBody(body), []);
      assert.equal(body.code, 'RequestIdReused');
      assert.deepEqual(body.data, [
        { objectType: 'Customer', id: customer, field: 'MS-RequestId', value: requestId },
        { operation: 'createCustomer', method: 'POST', path: '/v1/customers' },
      ]);
    }
    assert.equal((await client.get<{ items: unknown[] }>(orders)).data.items.length, 0);
    const subscriptions = await client.get<{ items: unknown[] }>(
      `/v1/customers/${customer}/subscriptions`,
    );
    assert.equal(subscriptions.data.items.length, 0);
    // The genuine retry of the customer still replays it: one customer.
    const again = await send('/v1/customers', customerBody);
    assert.equal(again.status, 201);
    assert.equal(((await again.json()) as { id: string }).id, customer);
    const all = await client.get<{ items: { companyProfile: { domain: string } }[] }>(
      '/v1/customers?size=500',
    );
    assert.equal(
      all.data.items.filter((c) => c.companyProfile.domain === customerBody.companyProfile.domain)
        .length,
      1,
    );
    // And a key first used for an order, sent for a customer: 409, no customer.
    const orderKey = randomUUID();
    const order = await client.post<{ id: string }>(
      `/v1/customers/${SEED_CUSTOMERS.northwind}/orders`,
      { body: orderBody, requestId: orderKey },
    );
    const other = {
      companyProfile: { domain: 'proseware.onmicrosoft.com', companyName: 'Proseware' },
      billingProfile: { email: 'a@proseware.onmicrosoft.com' },
    };
    await assert.rejects(
      client.post('/v1/customers', { body: other, requestId: orderKey }),
      (error) => {
        assert.ok(isApiResponseError(error));
        assert.equal(error.status, 409);
        assert.deepEqual(error.data?.[1], {
          operation: 'createOrder',
          method: 'POST',
          path: `/v1/customers/${SEED_CUSTOMERS.northwind}/orders`,
        });
        assert.equal((error.data?.[0] as { id?: string } | undefined)?.id, order.data.id);
        return true;
      },
    );
    const after = await client.get<{ items: { companyProfile: { domain: string } }[] }>(
      '/v1/customers?size=500',
    );
    assert.ok(
      !after.data.items.some((c) => c.companyProfile.domain === other.companyProfile.domain),
    );
  });
});
