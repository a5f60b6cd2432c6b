/** Fault rules over HTTP: drop, hang, delay, first-N, the JSON rule file, the request log, and the limits of PUT /_emulator/faults. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateErrorBody } from '@apifault/contract';
import {
  MAX_FAULT_RULES,
  MAX_PATTERN_LENGTH,
  parseFaultRules,
  SEED_CUSTOMERS,
} from '@apifault/emulator';
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
      logLevel: 'info',
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

describe('PUT /_emulator/faults: the limits', () => {
  let emu: TestEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());

  const put = async (rules: unknown[]) => {
    const res = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const inForce = async () =>
    (
      (await (await fetch(`${emu.url}/_emulator/faults`)).json()) as {
        rules: { path: string }[];
      }
    ).rules.map((rule) => rule.path);

  it(`answers 400 naming the limit for more than ${MAX_FAULT_RULES} rules or a pattern over ${MAX_PATTERN_LENGTH} characters, in JSON and one-line syntax`, async () => {
    const long = `/v1/${'a'.repeat(MAX_PATTERN_LENGTH - 4)}`;
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `GET /v1/r${i}=503`);
    const objects = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ method: 'GET', path: `/v1/r${i}`, action: 503 }));
    // At the limits: accepted.
    assert.equal((await put(lines(MAX_FAULT_RULES))).status, 200);
    assert.equal((await put(objects(MAX_FAULT_RULES))).status, 200);
    assert.equal((await put([`${long}=503`, { path: long, action: 503 }])).status, 200);
    assert.deepEqual(await inForce(), [long, long]);
    const refused: [string, unknown[], RegExp][] = [
      ['101 one-line rules', lines(MAX_FAULT_RULES + 1), /at most 100 /],
      ['101 JSON rules', objects(MAX_FAULT_RULES + 1), /at most 100 /],
      ['a 513-character one-line pattern', [`${long}b=503`], /513 characters, at most 512/],
      [
        'a 513-character JSON pattern',
        [{ path: `${long}b`, action: 503 }],
        /513 characters, at most 512/,
      ],
    ];
    for (const [what, rules, limit] of refused) {
      const res = await put(rules);
      assert.equal(res.status, 400, what);
      assert.deepEqual(validateErrorBody(res.body), [], what);
      assert.equal(res.body.code, '800002', what);
      assert.match(String(res.body.description), limit, what);
      // A refused rule set leaves the rules in force as they were.
      assert.deepEqual(await inForce(), [long, long], what);
    }
  });
});
