/**
 * Slow and hostile clients against the emulator: slow headers and slow bodies get a contract
 * 408 and a closed socket, 1 000 idle connections do not stop a normal request, an oversized
 * body gets a 413 with the server reading only a sliver of it, and 10 000-deep JSON on every
 * write route gets a 400 with no stack overflow.
 */

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { validateErrorBody } from '@apifault/contract';
import { createEmulator, type Emulator, SEED_CUSTOMERS } from '@apifault/emulator';
import { installClientErrorHandler } from '@apifault/server';
import {
  idleConnections,
  oversizedBody,
  slowBody,
  slowHeaders,
} from '../../server/test/helpers/reliability-hostile.js';
import { exchange, type RawExchange } from '../../server/test/helpers/reliability-raw.js';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';

const CUSTOMER = `/v1/customers/${SEED_CUSTOMERS.adatum}`;

function assertContract(res: RawExchange, status: number): Record<string, unknown> {
  assert.equal(res.status, status, res.bytes.toString('latin1').slice(0, 300));
  assert.ok(res.complete, 'a complete response');
  assert.equal(res.headers.get('content-type')?.[0], 'application/json; charset=utf-8');
  const body = JSON.parse(res.body) as Record<string, unknown>;
  assert.deepEqual(validateErrorBody(body), []);
  return body;
}

describe('reliability: slow and hostile clients on the emulator', () => {
  let emu: TestEmulator;
  let auth = '';
  let subscription = '';
  before(async () => {
    emu = await startTestEmulator({ bodyTimeoutMs: 400, rateLimit: false });
    auth = `Authorization: Bearer ${await emu.token()}\r\n`;
    const res = await fetch(`${emu.url}${CUSTOMER}/subscriptions`, {
      headers: { authorization: `Bearer ${await emu.token()}` },
    });
    subscription = ((await res.json()) as { items: { id: string }[] }).items[0]!.id;
  });
  after(() => emu.close());

  test('slow headers: 408 contract body, then the socket is closed', async () => {
    // Node checks header deadlines on a timer fixed when the server is built (30 s by
    // default), so the emulator's handler runs here on a server built with short ones.
    const emulator: Emulator = await createEmulator({ memory: true, log: false });
    const server: Server = createServer(
      { headersTimeout: 500, requestTimeout: 2000, connectionsCheckingInterval: 100 },
      emulator.handler,
    );
    installClientErrorHandler(server, { source: 'PartnerFD' });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await slowHeaders((server.address() as AddressInfo).port, { waitMs: 6000 });
      assertContract(res, 408);
      assert.ok(res.closed, 'the server closed the connection');
      assert.ok(res.sent < 10_000, 'the server stopped waiting before the headers ended');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await emulator.close();
    }
  });

  test('slow body: 408 contract body, then the socket is closed', async () => {
    const res = await slowBody(emu.port, '/v1/customers', { length: 1000, headers: auth });
    assertContract(res, 408);
    assert.ok(res.closed, 'the server closed the connection');
    assert.ok(res.sent < 1000, 'the body never finished');
  });

  test('1 000 idle connections: a normal request is still answered', async () => {
    const idle = await idleConnections(emu.port, 1000);
    try {
      const res = await exchange(
        emu.port,
        `GET ${CUSTOMER} HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`,
      );
      assert.equal(res.status, 200);
      assert.equal((JSON.parse(res.body) as { id: string }).id, SEED_CUSTOMERS.adatum);
    } finally {
      idle.close();
    }
  });

  for (const chunked of [true, false]) {
    test(`oversized ${chunked ? 'chunked' : 'declared-length'} body: 413, hung up early`, async (t) => {
      const total = 32 * 1024 * 1024;
      const serverRead = new Promise<number>((resolve) => {
        emu.server.once('connection', (socket: Socket) => {
          socket.once('close', () => resolve(socket.bytesRead));
        });
      });
      const res = await oversizedBody(emu.port, '/v1/customers', {
        total,
        chunked,
        headers: auth,
      });
      const read = await serverRead;
      assertContract(res, 413);
      assert.ok(res.closed, 'the server closed the connection');
      // The emulator's limit is 1 MiB: it read about that, not the 32 MiB.
      assert.ok(read < 2 * 1024 * 1024, `the server read ${read} bytes`);
      assert.ok(res.written < total / 2, `wrote ${res.written} of ${total} bytes`);
      t.diagnostic(`client wrote ${res.written} of ${total} bytes, server read ${read}`);
    });
  }

  test('10 000-deep JSON on every write route: 400, no stack overflow, still up', async () => {
    const deep = [
      `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
      `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
      `{"companyProfile":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
      '['.repeat(10_000),
    ];
    const routes = [
      ['POST', '/v1/customers', ''],
      ['POST', `${CUSTOMER}/orders`, ''],
      // `*`: the deep objects below are valid (no-op) updates that change the ETag.
      ['PATCH', `${CUSTOMER}/subscriptions/${subscription}`, 'If-Match: *\r\n'],
    ] as const;
    for (const [method, path, extra] of routes) {
      for (const text of deep) {
        const res = await exchange(
          emu.port,
          `${method} ${path} HTTP/1.1\r\nHost: x\r\n${auth}${extra}Content-Type: application/json\r\n` +
            `Content-Length: ${text.length}\r\nConnection: close\r\n\r\n${text}`,
        );
        if (method === 'PATCH' && text.startsWith('{')) {
          // An object of unknown members changes nothing: parsed and answered, not a crash.
          assert.equal(res.status, 200, res.body.slice(0, 200));
        } else {
          assertContract(res, 400);
        }
      }
    }
    const health = await exchange(
      emu.port,
      `GET ${CUSTOMER} HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`,
    );
    assert.equal(health.status, 200);
  });
});
