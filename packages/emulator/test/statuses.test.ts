/** Drives the emulator with @apifault/client through every contract status, each from its real cause. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Client, createClient, isApiResponseError } from '@apifault/client';
import { validateErrorBody } from '@apifault/contract';
import { OTHER_PARTNER, SEED_CUSTOMERS } from '@apifault/emulator';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';

const REALM = 'OAuth realm=urn:cpsvc:cpid:apifault';

interface Subscription {
  id: string;
  quantity: number;
  attributes: { etag: string };
}

/** Runs `call`, expects an ApiResponseError with `status`, checks the body and the common headers. */
async function expectStatus(call: () => Promise<unknown>, status: number) {
  try {
    await call();
  } catch (error) {
    assert.ok(isApiResponseError(error), `expected an ApiResponseError, got ${String(error)}`);
    assert.equal(error.status, status, error.message);
    assert.deepEqual(validateErrorBody(JSON.parse(error.bodyText)), [], error.bodyText);
    assert.equal(error.deviations.length, 0, JSON.stringify(error.deviations));
    assert.ok(error.headers['ms-cv'], 'MS-CV header');
    assert.ok(error.headers['ms-serverid'], 'MS-ServerId header');
    assert.match(error.headers['content-type'] ?? '', /^application\/json; charset=utf-8$/);
    return error;
  }
  assert.fail(`expected ${status}, the call succeeded`);
}

describe('every status from its real cause', () => {
  let emu: TestEmulator;
  let client: Client;
  let other: Client;

  function clientFor(token: string | undefined): Client {
    return createClient({
      baseUrl: emu.url,
      retry: { attempts: 1 },
      ...(token === undefined ? {} : { credential: () => token }),
    });
  }

  before(async () => {
    emu = await startTestEmulator({ bodyTimeoutMs: 300, commerceTimeoutMs: 300 });
    client = clientFor(await emu.token());
    other = clientFor(await emu.token(OTHER_PARTNER));
  });
  after(() => emu.close());

  it('200 and 201 on the happy paths', async () => {
    const list = await client.get<{ items: unknown[]; attributes: { objectType: string } }>(
      '/v1/customers',
    );
    assert.equal(list.status, 200);
    assert.equal(list.data.attributes.objectType, 'Collection');
    assert.equal(list.data.items.length, 3);
    const order = await client.post<{ lineItems: { subscriptionId: string }[] }>(
      `/v1/customers/${SEED_CUSTOMERS.litware}/orders`,
      { body: { lineItems: [{ lineItemNumber: 0, offerId: 'CFQ7TTC0LH18:0001', quantity: 3 }] } },
    );
    assert.equal(order.status, 201);
    assert.equal(order.data.lineItems.length, 1);
  });

  it('400 800090: a quantity decrease past the cancellation window', async () => {
    const subs = await client.get<{ items: Subscription[] }>(
      `/v1/customers/${SEED_CUSTOMERS.adatum}/subscriptions`,
    );
    const sub = subs.data.items[0] as Subscription;
    const error = await expectStatus(
      () =>
        client.patch(`/v1/customers/${SEED_CUSTOMERS.adatum}/subscriptions/${sub.id}`, {
          body: { quantity: sub.quantity - 1 },
          ifMatch: sub.attributes.etag,
        }),
      400,
    );
    assert.equal(error.code, '800090');
    assert.equal(error.description, 'Subscription quantity cannot be decreased.');
  });

  it('401 without a token, and with a forged one, with the documented challenge', async () => {
    const missing = await expectStatus(() => clientFor(undefined).get('/v1/customers'), 401);
    assert.equal(missing.headers['www-authenticate'], REALM);
    assert.equal(missing.code, '800001');
    const token = await emu.token();
    const forged = `${token.slice(0, -4)}AAAA`;
    const bad = await expectStatus(() => clientFor(forged).get('/v1/customers'), 401);
    assert.equal(bad.headers['www-authenticate'], REALM);
    assert.equal(bad.code, '400');
  });

  it("403 for another partner's customer, and for a role that may not write", async () => {
    const error = await expectStatus(
      () => other.get(`/v1/customers/${SEED_CUSTOMERS.adatum}`),
      403,
    );
    assert.equal(error.code, '20002');
    const helpdesk = clientFor(await emu.token(undefined, ['HelpdeskAgent']));
    const role = await expectStatus(
      () =>
        helpdesk.post(`/v1/customers/${SEED_CUSTOMERS.adatum}/orders`, { body: { lineItems: [] } }),
      403,
    );
    assert.equal(role.code, '900150');
  });

  it('404 for an unknown id and an unknown route', async () => {
    const error = await expectStatus(
      () => client.get('/v1/customers/00000000-0000-4000-8000-000000000000'),
      404,
    );
    assert.equal(error.code, '3000');
    await expectStatus(() => client.get('/v1/nothing-here'), 404);
  });

  it('405 with Allow for a method the resource lacks', async () => {
    const error = await expectStatus(
      () => client.delete(`/v1/customers/${SEED_CUSTOMERS.adatum}`),
      405,
    );
    assert.equal(error.headers.allow, 'GET, HEAD');
  });

  it('406 for Accept: application/xml', async () => {
    await expectStatus(
      () => client.get('/v1/customers', { headers: { accept: 'application/xml' } }),
      406,
    );
  });

  it('408 when the body does not arrive in time', async () => {
    let cancel: () => void = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"companyProfile":'));
        cancel = () => controller.close();
      },
    });
    try {
      await expectStatus(
        () =>
          client.post('/v1/customers', { body, headers: { 'content-type': 'application/json' } }),
        408,
      );
    } finally {
      cancel();
    }
  });

  it('409 for a taken domain, the existing customer in data', async () => {
    const error = await expectStatus(
      () =>
        client.post('/v1/customers', {
          body: {
            companyProfile: { domain: 'adatum.onmicrosoft.com', companyName: 'Adatum again' },
            billingProfile: { email: 'x@adatum.onmicrosoft.com' },
          },
        }),
      409,
    );
    assert.equal(error.code, '1003');
    assert.ok(JSON.stringify(error.data).includes(SEED_CUSTOMERS.adatum));
  });

  it('412 for a stale ETag and for a missing If-Match', async () => {
    const path = `/v1/customers/${SEED_CUSTOMERS.northwind}/subscriptions`;
    const sub = (await client.get<{ items: Subscription[] }>(path)).data.items[0] as Subscription;
    const ok = await client.patch<Subscription>(`${path}/${sub.id}`, {
      body: { friendlyName: 'renamed' },
      ifMatch: sub.attributes.etag,
    });
    assert.notEqual(ok.data.attributes.etag, sub.attributes.etag);
    const stale = await expectStatus(
      () =>
        client.patch(`${path}/${sub.id}`, {
          body: { friendlyName: 'again' },
          ifMatch: sub.attributes.etag,
        }),
      412,
    );
    assert.equal(stale.code, '2055');
    const missing = await expectStatus(
      () => client.patch(`${path}/${sub.id}`, { body: { friendlyName: 'x' } }),
      412,
    );
    assert.equal(missing.code, '800036');
  });

  it('500 only from a fault rule, 501 for an unmodelled route', async () => {
    const put = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: ['GET /v1/customers=500,first=1'] }),
    });
    assert.equal(put.status, 200);
    const error = await expectStatus(() => client.get('/v1/customers'), 500);
    assert.equal(error.code, '800003');
    assert.equal(
      (await client.get('/v1/customers')).status,
      200,
      'first=1: the second call passes',
    );
    await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' });
    const audit = await expectStatus(() => client.get('/v1/auditrecords'), 501);
    assert.equal(audit.code, '0');
  });

  it('502 and 504 from the commerce dependency', async () => {
    const order = { body: { lineItems: [{ offerId: 'CFQ7TTC0LH18:0001', quantity: 1 }] } };
    const path = `/v1/customers/${SEED_CUSTOMERS.litware}/orders`;
    emu.emulator.faults.replace([
      {
        method: '*',
        path: 'commerce',
        action: { type: 'status', status: 503 },
        probability: 1,
        delayMs: 0,
        first: 1,
      },
      { method: '*', path: 'commerce', action: { type: 'timeout' }, probability: 1, delayMs: 0 },
    ]);
    const bad = await expectStatus(() => client.post(path, order), 502);
    assert.equal(bad.code, '800005');
    const slow = await expectStatus(() => client.post(path, order), 504);
    assert.equal(slow.code, '800005');
    emu.emulator.faults.clear();
    assert.equal((await client.post(path, order)).status, 201);
  });

  it('503 + Retry-After in maintenance mode', async () => {
    const on = await fetch(`${emu.url}/_emulator/maintenance`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: true, retryAfter: 42 }),
    });
    assert.equal(on.status, 200);
    try {
      const error = await expectStatus(() => client.get('/v1/customers'), 503);
      assert.equal(error.headers['retry-after'], '42');
    } finally {
      emu.emulator.maintenance.state = { enabled: false, retryAfter: 30 };
    }
  });

  it("any status forced by X-Apifault-Force-Status, a 429 in the real service's wire shape", async () => {
    const error = await expectStatus(
      () => client.get('/v1/customers', { headers: { 'x-apifault-force-status': '409' } }),
      409,
    );
    assert.equal(error.code, '409');
    const throttled = await fetch(`${emu.url}/v1/customers`, {
      headers: { authorization: `Bearer ${await emu.token()}`, 'x-apifault-force-status': '429' },
    });
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '1');
    assert.equal(throttled.headers.get('content-type'), 'application/json');
    assert.equal(
      await throttled.text(),
      '{"statusCode":429,"message":"Rate limit is exceeded. Try again in 1 seconds."}',
    );
  });
});

describe('429 per partner and customer on customer routes, writes costing more', () => {
  let emu: TestEmulator;
  before(async () => {
    emu = await startTestEmulator({ rateLimit: { limit: 10, windowSeconds: 60 } });
  });
  after(() => emu.close());

  it('two writes spend the window, the next read gets 429 with Retry-After', async () => {
    const client = createClient({
      baseUrl: emu.url,
      retry: { attempts: 1 },
      credential: async () => emu.token(),
    });
    const order = { body: { lineItems: [{ offerId: 'CFQ7TTC0LH18:0001', quantity: 1 }] } };
    await client.post(`/v1/customers/${SEED_CUSTOMERS.adatum}/orders`, order);
    await client.post(`/v1/customers/${SEED_CUSTOMERS.adatum}/orders`, order);
    const error = await client.get(`/v1/customers/${SEED_CUSTOMERS.adatum}`).then(
      () => assert.fail('expected 429'),
      (thrown: unknown) => thrown,
    );
    assert.ok(isApiResponseError(error));
    assert.equal(error.status, 429);
    assert.match(error.headers['retry-after'] ?? '', /^[1-9]\d*$/);
    // Another customer of the same partner, and the partner-wide routes, have their own budgets.
    assert.equal((await client.get(`/v1/customers/${SEED_CUSTOMERS.litware}`)).status, 200);
    assert.equal((await client.get('/v1/customers')).status, 200);
    // Another partner has its own budget.
    const other = createClient({
      baseUrl: emu.url,
      retry: { attempts: 1 },
      credential: () => emu.token(OTHER_PARTNER),
    });
    assert.equal((await other.get('/v1/customers')).status, 200);
  });
});
