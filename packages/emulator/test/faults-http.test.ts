/** Fault rules over HTTP: drop, hang, delay, first-N, the JSON rule file, and the request log. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseFaultRules, SEED_CUSTOMERS } from '@apifault/emulator';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';

describe('fault actions on the wire', () => {
  let emu: TestEmulator;
  let headers: Record<string, string>;
  const logs: string[] = [];

  before(async () => {
    emu = await startTestEmulator({
      faultSeed: 1,
      faults: parseFaultRules({
        rules: [
          { method: 'GET', path: '/v1/customers/*/orders', action: 'drop' },
          'GET /v1/customers/*/subscriptions=hang',
          { path: '/v1/customers', action: 'delay', delayMs: 5, first: 2 },
        ],
      }),
      log: (line) => logs.push(line),
    });
    headers = { authorization: `Bearer ${await emu.token()}` };
  });
  after(() => emu.close());

  it('drop destroys the connection without an answer', async () => {
    await assert.rejects(
      fetch(`${emu.url}/v1/customers/${SEED_CUSTOMERS.adatum}/orders`, { headers }),
    );
  });

  it('delay serves normally after the wait, for the first N calls', async () => {
    for (let i = 0; i < 3; i++) {
      assert.equal((await fetch(`${emu.url}/v1/customers`, { headers })).status, 200);
    }
    const state = (await (await fetch(`${emu.url}/_emulator/faults`)).json()) as {
      rules: { action: string; calls: number }[];
    };
    assert.equal(state.rules.find((r) => r.action === 'delay')?.calls, 3);
  });

  it('hang keeps the request open while others are served, until the server closes', async () => {
    let settled = false;
    const hung = fetch(`${emu.url}/v1/customers/${SEED_CUSTOMERS.adatum}/subscriptions`, {
      headers,
    }).finally(() => {
      settled = true;
    });
    // Requests sent after it are answered while it stays open.
    for (let i = 0; i < 3; i++)
      assert.equal((await fetch(`${emu.url}/v1/customers`, { headers })).status, 200);
    assert.equal(settled, false);
    await emu.close();
    await assert.rejects(hung);
  });

  it('logs one JSON line per request with ids and duration', () => {
    const lines = logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    const served = lines.filter((l) => l.path === '/v1/customers');
    assert.ok(served.length >= 6);
    for (const line of served) {
      assert.equal(line.method, 'GET');
      assert.equal(line.status, 200);
      assert.equal(typeof line.durationMs, 'number');
      assert.match(String(line.requestId), /\S/);
      assert.match(String(line.correlationId), /\S/);
    }
    assert.ok(
      lines.some((l) => l.aborted === true),
      'the dropped or hung request is logged as aborted',
    );
  });
});
