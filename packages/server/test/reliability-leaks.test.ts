/**
 * No leaks: errors carrying secrets, stacks, file paths and SQL, thrown (and rejected) by a
 * route on every adapter, never put any of it in a body or a header.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { validateErrorBody } from '@apifault/contract';
import { LEAK_KINDS, SECRET_NEEDLES } from './fixtures/reliability-leaks.js';
import { type ReliabilityApp, startReliabilityApp } from './helpers/reliability-apps.js';
import { exchange } from './helpers/reliability-raw.js';
import { ADAPTERS } from './helpers/servers.js';

describe('reliability: no leaks through error responses', () => {
  const apps: ReliabilityApp[] = [];
  before(async () => {
    for (const name of ADAPTERS) apps.push(await startReliabilityApp(name));
  });
  after(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  test('control: the probe does see a leak when exposure is switched on', async () => {
    const exposed = await startReliabilityApp('node', {
      source: 'Reliability',
      exposeServerErrors: true,
    });
    try {
      const res = await exchange(
        exposed.port,
        'GET /leak/api-error-500 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      );
      assert.equal(res.status, 500);
      assert.ok(SECRET_NEEDLES.some((needle) => res.body.includes(needle)));
    } finally {
      await exposed.close();
    }
  });

  for (const route of ['/leak', '/leak-async']) {
    test(`${route}: ${LEAK_KINDS.length} leaky errors × 4 adapters`, async () => {
      const failures: string[] = [];
      for (const app of apps) {
        for (const kind of LEAK_KINDS) {
          const where = `${app.name} ${route}/${kind}`;
          const res = await exchange(
            app.port,
            `GET ${route}/${kind} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
          );
          if (res.status === undefined || !res.complete) {
            failures.push(`${where}: no complete response (${res.bytes.length} bytes)`);
            continue;
          }
          if (res.status < 400) failures.push(`${where}: status ${res.status}`);
          let body: unknown;
          try {
            body = JSON.parse(res.body);
          } catch {
            failures.push(`${where}: body is not JSON: ${res.body.slice(0, 120)}`);
            continue;
          }
          const violations = validateErrorBody(body);
          if (violations.length > 0) failures.push(`${where}: ${JSON.stringify(violations)}`);
          const head = res.bytes.subarray(0, res.bytes.indexOf('\r\n\r\n')).toString('latin1');
          for (const needle of SECRET_NEEDLES) {
            if (res.body.includes(needle)) failures.push(`${where}: body has "${needle}"`);
            if (head.includes(needle)) failures.push(`${where}: a header has "${needle}"`);
          }
        }
      }
      assert.deepEqual(failures, []);
    });
  }
});
