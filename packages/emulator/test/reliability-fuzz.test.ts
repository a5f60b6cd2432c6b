/**
 * Fuzz the emulator: hostile raw HTTP/1.1 requests (fast-check, bounded) over a net.Socket,
 * half of them with a valid partner token so they reach the resources. Each answer is 2xx
 * or a contract error (never a 500: no fault is injected), no header carries injected text,
 * the server never closes without answering, and it stays up.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SEED_CUSTOMERS } from '@apifault/emulator';
import fc from 'fast-check';
import {
  encodeRequest,
  type FuzzRequest,
  readable,
  requestArbitrary,
  responseProblems,
} from '../../server/test/helpers/reliability-fuzz.js';
import { exchange } from '../../server/test/helpers/reliability-raw.js';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';

const RUNS = Number(process.env['APIFAULT_FUZZ_RUNS'] ?? 300);
const CUSTOMER = `/v1/customers/${SEED_CUSTOMERS.adatum}`;

describe('reliability: fuzzed raw requests on the emulator', () => {
  let emu: TestEmulator;
  let token = '';
  let subscription = '';
  before(async () => {
    emu = await startTestEmulator({ bodyTimeoutMs: 200, rateLimit: false });
    token = await emu.token();
    const res = await fetch(`${emu.url}${CUSTOMER}/subscriptions`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const list = (await res.json()) as { items: { id: string }[] };
    subscription = list.items[0]!.id;
  });
  after(() => emu.close());

  test('requests Node answers before any handler: CONNECT 501, unmet Expect 417, no Host 400', async () => {
    const odd: [string, number][] = [
      ['CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n', 501],
      [`GET ${CUSTOMER} HTTP/1.1\r\nHost: x\r\nExpect: x-teapot\r\n\r\n`, 417],
      // Node's own answer would be a bare 400; the emulator answers it with the contract.
      [`GET ${CUSTOMER} HTTP/1.1\r\nConnection: close\r\n\r\n`, 400],
    ];
    for (const [request, status] of odd) {
      const res = await exchange(emu.port, request, { firstResponse: true });
      assert.equal(res.status, status, res.bytes.toString('latin1').slice(0, 200));
      assert.deepEqual(responseProblems(res, { head: false }), []);
    }
  });

  test(`${RUNS} hostile requests, each answered with 2xx or a contract error`, async () => {
    const prefixes = [
      '/v1/customers',
      CUSTOMER,
      `${CUSTOMER}/subscriptions`,
      `${CUSTOMER}/subscriptions/${subscription}`,
      `${CUSTOMER}/orders`,
      '/v1/invoices',
      '/v1',
      '/_emulator/tokens',
      '/openapi.json',
      '',
    ];
    const writes = [
      'POST /v1/customers',
      `POST ${CUSTOMER}/orders`,
      `PATCH ${CUSTOMER}/subscriptions/${subscription}`,
      'POST /_emulator/tokens',
    ];
    const requests = fc
      .tuple(requestArbitrary(prefixes, writes), fc.boolean())
      .map(([request, auth]): FuzzRequest => {
        if (!auth) return request;
        const headers: [string, string][] = [['authorization', `Bearer ${token}`]];
        return readable({ ...request, headers: [...headers, ...request.headers] });
      });
    await fc.assert(
      fc.asyncProperty(requests, async (request) => {
        const head = request.method === 'HEAD';
        const res = await exchange(emu.port, encodeRequest(request), { head });
        assert.deepEqual(responseProblems(res, { head }), []);
      }),
      { numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
    );
    const health = await fetch(`${emu.url}${CUSTOMER}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(health.status, 200);
  });
});
