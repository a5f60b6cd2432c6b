/**
 * Fuzz: hostile raw HTTP/1.1 requests (fast-check, bounded) against every adapter over a
 * net.Socket. Each answer is 2xx or a contract error (never a 500), no header carries
 * injected text, the server never closes without answering, and it stays up.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { type ReliabilityApp, startReliabilityApp } from './helpers/reliability-apps.js';
import {
  encodeRequest,
  type FuzzRequest,
  requestArbitrary,
  responseProblems,
} from './helpers/reliability-fuzz.js';
import { exchange } from './helpers/reliability-raw.js';
import { ADAPTERS } from './helpers/servers.js';

/** Requests per adapter; the seed is printed by fast-check on failure for replay. */
const RUNS = Number(process.env['APIFAULT_FUZZ_RUNS'] ?? 200);
// `/leak` routes throw 500 on purpose: the leak suite covers them.
const PREFIXES = ['/v1/customers', '/v1/customers/c-1', '/v1', ''];

async function check(app: ReliabilityApp, request: FuzzRequest): Promise<string[]> {
  const head = request.method === 'HEAD';
  const res = await exchange(app.port, encodeRequest(request), { head });
  return responseProblems(res, { head, source: 'Reliability' });
}

describe('reliability: fuzzed raw requests on every adapter', () => {
  const apps: ReliabilityApp[] = [];
  before(async () => {
    for (const name of ADAPTERS) {
      apps.push(
        await startReliabilityApp(name, {
          source: 'Reliability',
          bodyLimit: 64 * 1024,
          bodyTimeoutMs: 200,
        }),
      );
    }
  });
  after(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  test('requests Node answers before any handler: CONNECT 501, an unmet Expect 417', async () => {
    const odd: [string, number][] = [
      ['CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n', 501],
      ['GET /v1/customers/c-1 HTTP/1.1\r\nHost: x\r\nExpect: x-teapot\r\n\r\n', 417],
      ['GET /v1/customers/c-1 HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n', 200],
    ];
    for (const app of apps) {
      for (const [request, status] of odd) {
        const res = await exchange(app.port, request, { firstResponse: true });
        const where = `${app.name}: ${request.split('\r\n')[0]}`;
        assert.equal(res.status, status, `${where}: ${res.bytes.toString('latin1').slice(0, 200)}`);
        assert.deepEqual(responseProblems(res, { head: false, source: 'Reliability' }), [], where);
      }
    }
  });

  for (const name of ADAPTERS) {
    test(`${name}: ${RUNS} hostile requests, each answered with 2xx or a contract error`, async () => {
      const app = apps.find((a) => a.name === name)!;
      await fc.assert(
        fc.asyncProperty(requestArbitrary(PREFIXES, ['POST /v1/customers']), async (request) => {
          const problems = await check(app, request);
          assert.deepEqual(
            problems,
            [],
            JSON.stringify(encodeRequest(request).toString('latin1').slice(0, 400)),
          );
        }),
        { numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
      );
      // Still up: a plain request is answered.
      const health = await exchange(
        app.port,
        'GET /v1/customers/c-1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      );
      assert.equal(health.status, 200);
      assert.deepEqual(JSON.parse(health.body), { id: 'c-1' });
    });
  }
});
