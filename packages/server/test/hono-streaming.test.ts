/** A Hono stream that fails midway cuts the connection, as node:http and Express do (the hardening issue, item 3). */

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { stream, streamSSE, streamText, useApifault } from '../src/adapters/hono.js';
import { createNodeServer } from '../src/adapters/hono-node.js';
import type { Logger } from '../src/index.js';
import { exchange } from './helpers/reliability-raw.js';

describe('Hono streaming helpers', () => {
  let server: Server;
  let port: number;
  const logged: string[] = [];
  before(async () => {
    const logger: Logger = { error: (_o, msg) => logged.push(String(msg)), warn() {}, info() {} };
    const options = { source: 'Streams', logger };
    const app = new Hono();
    useApifault(app, options);
    app.get('/stream', (c) =>
      stream(c, async (s) => {
        await s.write('{"items":[1,2,3');
        throw new Error('the database went away');
      }),
    );
    app.get('/text', (c) =>
      streamText(c, async (s) => {
        await s.write('partial');
        throw 'not even an Error';
      }),
    );
    app.get('/sse', (c) =>
      streamSSE(c, async (s) => {
        await s.writeSSE({ data: 'one' });
        throw new Error('gone');
      }),
    );
    app.get('/whole', (c) => stream(c, async (s) => void (await s.write('{"items":[]}'))));
    server = await new Promise<Server>((resolve) => {
      const s = serve(
        {
          fetch: app.fetch,
          port: 0,
          hostname: '127.0.0.1',
          createServer: createNodeServer(options),
        },
        () => resolve(s as Server),
      );
    });
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  for (const path of ['/stream', '/text', '/sse']) {
    test(`${path}: a failure midway ends the body incomplete, the connection cut, the error logged`, async () => {
      const before = logged.length;
      const res = await exchange(port, `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.equal(res.status, 200);
      assert.equal(res.closed, true, 'the connection is closed');
      assert.equal(
        res.complete,
        false,
        `the body must not look whole: ${JSON.stringify(res.body)}`,
      );
      assert.ok(logged.length > before, 'the failure is logged');
    });
  }

  test('a stream that ends well is complete and the connection kept', async () => {
    const res = await exchange(port, 'GET /whole HTTP/1.1\r\nHost: x\r\n\r\n', {
      firstResponse: true,
    });
    assert.equal(res.complete, true);
    assert.equal(res.body, '{"items":[]}');
  });
});
