/**
 * Slow and hostile clients against the node:http adapter: slow headers and slow bodies get a
 * contract 408 and a closed socket, 1 000 idle connections do not stop a normal request, an
 * oversized body gets a 413 and a hang-up long before it is all sent, a 10 000-deep JSON body
 * gets a 400 and no stack overflow. The body attacks run on Express, Fastify and Hono too.
 */

import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { validateErrorBody } from '@apifault/contract';
import { type ReliabilityApp, startReliabilityApp } from './helpers/reliability-apps.js';
import {
  idleConnections,
  oversizedBody,
  slowBody,
  slowHeaders,
} from './helpers/reliability-hostile.js';
import { exchange, type RawExchange } from './helpers/reliability-raw.js';

/** Asserts a complete contract error of `status`. */
function assertContract(res: RawExchange, status: number): Record<string, unknown> {
  assert.equal(res.status, status, res.bytes.toString('latin1').slice(0, 300));
  assert.ok(res.complete, 'a complete response');
  assert.equal(res.headers.get('content-type')?.[0], 'application/json; charset=utf-8');
  const body = JSON.parse(res.body) as Record<string, unknown>;
  assert.deepEqual(validateErrorBody(body), []);
  return body;
}

const HEALTH = 'GET /v1/customers/c-1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';

describe('reliability: slow and hostile clients on the node:http adapter', () => {
  let app: ReliabilityApp;
  before(async () => {
    app = await startReliabilityApp(
      'node',
      { source: 'Reliability', bodyLimit: 64 * 1024, bodyTimeoutMs: 400 },
      // Node's own header deadline, short for the test; checked every 100 ms.
      { headersTimeout: 500, requestTimeout: 2000, connectionsCheckingInterval: 100 },
    );
  });
  after(() => app.close());

  test('slow headers: 408 contract body, then the socket is closed', async () => {
    const res = await slowHeaders(app.port, { intervalMs: 50, waitMs: 6000 });
    assertContract(res, 408);
    assert.ok(res.closed, 'the server closed the connection');
    assert.ok(res.sent < 10_000, 'the server stopped waiting before the headers ended');
  });

  test('1 000 idle connections: a normal request is still answered', async () => {
    const idle = await idleConnections(app.port, 1000);
    try {
      const res = await exchange(app.port, HEALTH);
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body), { id: 'c-1' });
    } finally {
      idle.close();
    }
  });

  bodyAttacks(() => app);
});

/** The body attacks, on whichever adapter `app()` returns. */
function bodyAttacks(app: () => ReliabilityApp): void {
  test('slow body: 408 contract body, then the socket is closed', async () => {
    const res = await slowBody(app().port, '/v1/customers', { length: 1000, intervalMs: 50 });
    const body = assertContract(res, 408);
    assert.equal(body['source'], 'Reliability');
    assert.ok(res.closed, 'the server closed the connection');
    assert.ok(res.sent < 1000, 'the body never finished');
  });

  for (const chunked of [true, false]) {
    test(`oversized ${chunked ? 'chunked' : 'declared-length'} body: 413, hung up early`, async (t) => {
      const total = 32 * 1024 * 1024;
      // What the server itself pulled off the wire on that connection.
      const serverRead = new Promise<number>((resolve) => {
        app().server.once('connection', (socket: Socket) => {
          socket.once('close', () => resolve(socket.bytesRead));
        });
      });
      const res = await oversizedBody(app().port, '/v1/customers', { total, chunked });
      const read = await serverRead;
      const body = assertContract(res, 413);
      assert.equal(body['code'], 'PayloadTooLarge');
      assert.ok(res.closed, 'the server closed the connection');
      // 64 KiB limit: the server hung up after a small part of the 32 MiB (loopback socket
      // buffers account for the rest of what the client could write).
      assert.ok(res.written < total / 2, `wrote ${res.written} of ${total} bytes`);
      assert.ok(read < 1024 * 1024, `the server read ${read} bytes`);
      t.diagnostic(`client wrote ${res.written} of ${total} bytes, server read ${read}`);
    });
  }

  test('a 10 000-deep JSON body: 400, no stack overflow, still up', async () => {
    for (const text of ['['.repeat(10_000) + ']'.repeat(10_000), '['.repeat(10_000)]) {
      const res = await exchange(
        app().port,
        `POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${text.length}\r\nConnection: close\r\n\r\n${text}`,
      );
      assertContract(res, 400);
    }
    const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const res = await exchange(
      app().port,
      `POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${deepObject.length}\r\nConnection: close\r\n\r\n${deepObject}`,
    );
    assert.equal(res.status, 200, 'a deep object is parsed and handed to the route');
    assert.equal((await exchange(app().port, HEALTH)).status, 200);
  });
}

describe('reliability: body attacks on Express, Fastify and Hono', () => {
  for (const name of ['express', 'fastify', 'hono'] as const) {
    describe(name, () => {
      let running: ReliabilityApp;
      before(async () => {
        running = await startReliabilityApp(name, {
          source: 'Reliability',
          bodyLimit: 64 * 1024,
          bodyTimeoutMs: 400,
        });
      });
      after(() => running.close());
      bodyAttacks(() => running);
    });
  }
});
