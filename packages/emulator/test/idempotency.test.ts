/** MS-RequestId is the idempotency key of creations: a retried POST replays its first result. */

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type Client, createClient, isApiResponseError } from '@apifault/client';
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
});
