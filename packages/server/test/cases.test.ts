/** Runs THE shared case table against all four adapters and holds them to the same answers. */

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { validateErrorBody } from '@apifault/contract';
import { CASE_OPTIONS, CASES, limiter, upstream } from './helpers/cases.js';
import { type RawResponse, send } from './helpers/http.js';
import { ADAPTERS, type Running, start } from './helpers/servers.js';

// The headers whose values must be identical across adapters (ids are checked per row).
const SAME = [
  'content-type',
  'x-content-type-options',
  'cache-control',
  'www-authenticate',
  'allow',
  'retry-after',
];

describe('the shared case table, on node:http, Express, Fastify and Hono', () => {
  const servers: Running[] = [];
  let closeUpstream = async () => {};

  before(async () => {
    // The upstream of the 502/504 rows: garbage on one path, silence on the other.
    const origin = createServer((req, res) => {
      if (req.url === '/garbage') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('<html>oops</html>');
      }
    });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    upstream.url = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
    closeUpstream = () =>
      new Promise((r) => {
        origin.closeAllConnections();
        origin.close(() => r());
      });
    await limiter.consume({ method: 'GET', path: '/', headers: { 'x-tenant': 'flood' } });
    for (const name of ADAPTERS) servers.push(await start(name, CASE_OPTIONS));
  });
  after(async () => {
    await limiter.close();
    await Promise.all(servers.map((s) => s.close()));
    await closeUpstream();
  });

  for (const row of CASES) {
    test(row.name, async () => {
      const responses = await Promise.all(servers.map((s) => send(s.url, row.request)));
      const byName = new Map<string, RawResponse>();
      for (const [i, s] of servers.entries()) byName.set(s.name, responses[i]!);
      for (const [name, res] of byName) {
        const where = `${name}: ${row.name}`;
        assert.equal(res.status, row.status, `${where}: status (body ${res.text.slice(0, 200)})`);
        if (res.status >= 400) {
          assert.deepEqual(
            validateErrorBody(res.json),
            [],
            `${where}: body ${res.text.slice(0, 200)}`,
          );
          assert.equal(res.headers['content-type'], 'application/json; charset=utf-8', where);
          assert.equal(res.headers['x-content-type-options'], 'nosniff', where);
          assert.equal((res.json as { source: string }).source, 'CaseTable', where);
        }
        assert.ok(res.headers['ms-requestid'], `${where}: MS-RequestId`);
        assert.ok(res.headers['ms-correlationid'], `${where}: MS-CorrelationId`);
        for (const [header, expected] of Object.entries(row.headers ?? {})) {
          const actual = res.headers[header];
          if (expected instanceof RegExp)
            assert.match(String(actual), expected, `${where}: ${header}`);
          else assert.equal(actual, expected, `${where}: ${header}`);
        }
        if (row.body !== undefined) assert.deepEqual(res.json, row.body, `${where}: body`);
        for (const text of row.bodyExcludes ?? []) {
          assert.ok(!res.text.includes(text), `${where}: body leaks ${text}`);
        }
        if (row.check) row.check(res.json as Record<string, unknown>);
      }
      const [first, ...rest] = responses;
      for (const [i, res] of rest.entries()) {
        const name = servers[i + 1]!.name;
        assert.equal(res.status, first!.status, `${name} vs node: status`);
        if (res.status >= 400) assert.deepEqual(res.json, first!.json, `${name} vs node: body`);
        for (const header of res.status >= 400 ? SAME : []) {
          if (row.varying?.includes(header)) continue;
          assert.equal(res.headers[header], first!.headers[header], `${name} vs node: ${header}`);
        }
      }
    });
  }
});
