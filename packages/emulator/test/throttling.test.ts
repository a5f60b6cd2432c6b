/** Throttling as Partner Center sends it: the 429 wire shape from every cause, the contract wire on request, and budgets keyed per partner or per partner and customer. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateErrorBody } from '@apifault/contract';
import { SEED_CUSTOMERS } from '@apifault/emulator';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';

const WIRE =
  /^\{"statusCode":429,"message":"Rate limit is exceeded\. Try again in (\d+) seconds\."\}$/;

async function expectWire429(response: Response): Promise<number> {
  assert.equal(response.status, 429);
  assert.equal(response.headers.get('content-type'), 'application/json');
  assert.equal(response.headers.get('ratelimit'), null);
  assert.equal(response.headers.get('ratelimit-policy'), null);
  const seconds = WIRE.exec(await response.text())?.[1];
  assert.ok(seconds, "the real service's 429 body");
  assert.equal(response.headers.get('retry-after'), seconds);
  assert.ok(response.headers.get('ms-requestid'));
  return Number(seconds);
}

describe('the 429 on the wire, by default', () => {
  let emu: TestEmulator;
  let headers: Record<string, string>;
  before(async () => {
    emu = await startTestEmulator({
      rateLimit: {
        limit: 3,
        windowSeconds: 60,
        groups: { customer: { limit: 2, windowSeconds: 30 } },
      },
    });
    headers = { authorization: `Bearer ${await emu.token()}` };
  });
  after(() => emu.close());

  it("from the limiter: Partner Center's body and Retry-After, and no RateLimit headers on any answer", async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await fetch(`${emu.url}/v1/customers`, { headers });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('ratelimit'), null);
      assert.equal(ok.headers.get('ratelimit-policy'), null);
      await ok.arrayBuffer();
    }
    const seconds = await expectWire429(await fetch(`${emu.url}/v1/customers`, { headers }));
    assert.ok(seconds >= 1 && seconds <= 60);
  });

  it("keys customer routes per partner and customer, with their group's budget", async () => {
    const adatum = `${emu.url}/v1/customers/${SEED_CUSTOMERS.adatum}`;
    // The partner-wide budget above is spent; the customer routes have their own.
    for (let i = 0; i < 2; i++) assert.equal((await fetch(adatum, { headers })).status, 200);
    const seconds = await expectWire429(await fetch(`${adatum}/subscriptions`, { headers }));
    assert.ok(seconds <= 30, "the customer group's 30 s window");
    // A throttled customer does not block calls for another.
    const litware = await fetch(`${emu.url}/v1/customers/${SEED_CUSTOMERS.litware}/subscriptions`, {
      headers,
    });
    assert.equal(litware.status, 200);
  });

  it('from a fault rule, with its retryAfter, and from the force header', async () => {
    const put = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: ['GET /v1/invoices=429,retryAfter=57'] }),
    });
    assert.equal(put.status, 200);
    try {
      assert.equal(await expectWire429(await fetch(`${emu.url}/v1/invoices`, { headers })), 57);
    } finally {
      await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' });
    }
    const forced = await fetch(`${emu.url}/v1/customers/${SEED_CUSTOMERS.northwind}`, {
      headers: { ...headers, 'x-apifault-force-status': '429' },
    });
    assert.equal(await expectWire429(forced), 1);
  });

  it('refuses a JSON rule with an unknown key with a contract 400 naming it', async () => {
    const put = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ path: '/v1/**', action: 429, retry: 5 }] }),
    });
    assert.equal(put.status, 400);
    const body = (await put.json()) as Record<string, unknown>;
    assert.deepEqual(validateErrorBody(body), []);
    assert.match(String(body.description), /unknown key "retry"/);
    assert.deepEqual(
      ((await (await fetch(`${emu.url}/_emulator/faults`)).json()) as { rules: unknown[] }).rules,
      [],
    );
  });

  it('leaves the other statuses in the contract', async () => {
    const put = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ path: '/v1/invoices', action: 503, retryAfter: 9 }] }),
    });
    assert.equal(put.status, 200);
    try {
      const unavailable = await fetch(`${emu.url}/v1/invoices`, { headers });
      assert.equal(unavailable.status, 503);
      assert.equal(unavailable.headers.get('retry-after'), '9');
      assert.deepEqual(validateErrorBody(await unavailable.json()), []);
    } finally {
      await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' });
    }
  });
});

describe('--wire contract', () => {
  let emu: TestEmulator;
  let headers: Record<string, string>;
  before(async () => {
    emu = await startTestEmulator({ wire: 'contract', rateLimit: { limit: 1, windowSeconds: 60 } });
    headers = { authorization: `Bearer ${await emu.token()}` };
  });
  after(() => emu.close());

  it('sends the contract body and the RateLimit headers', async () => {
    const ok = await fetch(`${emu.url}/v1/customers`, { headers });
    assert.equal(ok.status, 200);
    assert.ok(ok.headers.get('ratelimit'));
    const limited = await fetch(`${emu.url}/v1/customers`, { headers });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.ok(limited.headers.get('ratelimit'));
    assert.match(limited.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    const body = (await limited.json()) as Record<string, unknown>;
    assert.deepEqual(validateErrorBody(body), []);
    assert.equal(body.code, '429');
  });
});
