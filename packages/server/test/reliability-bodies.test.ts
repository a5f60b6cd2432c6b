/** Bodies no route reads, header floods and raw-socket answers, on every adapter (the hardening issue, items 4 and 5). */

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createApp, installClientErrorHandler } from '../src/index.js';
import { CASE_OPTIONS } from './helpers/cases.js';
import { exchange } from './helpers/reliability-raw.js';
import { ADAPTERS, type Running, start } from './helpers/servers.js';

/** The server side of the next connection to `url`'s server, once it closes: its bytes read. */
function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Opens a socket, writes `head`, then trickles one byte every `everyMs`; resolves when the server closes. */
function trickle(
  port: number,
  head: string,
  everyMs: number,
  waitMs: number,
): Promise<{ response: string; closed: boolean }> {
  return new Promise((resolve) => {
    let response = '';
    const socket: Socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    const drip = setInterval(() => {
      if (!socket.destroyed && socket.writable) socket.write('x');
    }, everyMs);
    const done = (closed: boolean): void => {
      clearInterval(drip);
      clearTimeout(timer);
      socket.destroy();
      resolve({ response, closed });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on('data', (d) => {
      response += d.toString('latin1');
    });
    socket.on('end', () => done(true));
    socket.on('close', () => done(true));
    socket.on('error', () => done(true));
  });
}

describe('reliability: bodies no route reads, on every adapter', () => {
  const servers: Running[] = [];
  before(async () => {
    for (const name of ADAPTERS) servers.push(await start(name, CASE_OPTIONS));
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  test('a GET answered without reading its trickled body: the connection closes after the body timeout', async () => {
    await Promise.all(
      servers.map(async (server) => {
        // A 1000-byte body announced, then one byte every 50 ms: it would take 50 s.
        const got = await trickle(
          portOf(server.url),
          'GET /v1/customers/c-1 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n',
          50,
          8000,
        );
        assert.match(got.response, /^HTTP\/1\.1 200 /, server.name);
        assert.equal(got.closed, true, `${server.name}: the socket stayed open`);
      }),
    );
  });

  test('a 50 MB body sent to a 405 route: answered, not read to its end, connection closed', async () => {
    for (const server of servers) {
      const port = portOf(server.url);
      const total = 50 * 1024 * 1024;
      const result = await new Promise<{ response: string; closed: boolean; written: number }>(
        (resolve) => {
          let response = '';
          let written = 0;
          let closed = false;
          const socket = net.connect(port, '127.0.0.1', async () => {
            socket.write(
              `DELETE /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${total}\r\n\r\n`,
            );
            const piece = Buffer.alloc(64 * 1024, 0x20);
            while (written < total && !closed) {
              written += piece.length;
              if (!socket.write(piece)) {
                await new Promise<void>((r) => {
                  const t = setTimeout(r, 200);
                  socket.once('drain', () => {
                    clearTimeout(t);
                    r();
                  });
                });
              }
            }
            setTimeout(() => {
              socket.destroy();
              resolve({ response, closed, written });
            }, 100);
          });
          socket.on('data', (d) => {
            response += d.toString('latin1');
          });
          socket.on('end', () => {
            closed = true;
          });
          socket.on('close', () => {
            closed = true;
          });
          socket.on('error', () => {
            closed = true;
          });
        },
      );
      assert.match(result.response, /^HTTP\/1\.1 405 /, server.name);
      assert.equal(result.closed, true, `${server.name}: closed`);
      assert.ok(result.written < total / 2, `${server.name}: the client wrote ${result.written}`);
    }
  });

  test('more header fields than the server keeps: 431, never a request missing its last headers', async () => {
    for (const server of servers) {
      let head = 'GET /secure/data HTTP/1.1\r\nHost: x\r\n';
      for (let i = 0; i < 2100; i++) head += `x-h${i}: 1\r\n`;
      head += 'Authorization: Bearer good\r\nConnection: close\r\n\r\n';
      const res = await exchange(portOf(server.url), head);
      assert.equal(res.status, 431, `${server.name}: ${res.body.slice(0, 120)}`);
      const body = JSON.parse(res.body) as { description: string };
      assert.equal(body.description, 'The request has more header fields than the server accepts.');
    }
  });
});

describe('reliability: responseHeaders are on every response, raw-socket answers included', () => {
  let server: Server;
  let port: number;
  before(async () => {
    const app = createApp({
      source: 'Stamped',
      responseHeaders: (headers) => ({
        'MS-ServerId': '42',
        'MS-CV': typeof headers['ms-cv'] === 'string' ? `${headers['ms-cv']}.0` : 'new.0',
      }),
    });
    app.get('/ok', () => ({ ok: true }));
    server = createServer(app.handler);
    installClientErrorHandler(server, app.options);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  test('a success, a routed error and an unparseable request carry them', async () => {
    const ok = await exchange(
      port,
      'GET /ok HTTP/1.1\r\nHost: x\r\nMS-CV: abc\r\nConnection: close\r\n\r\n',
    );
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.headers.get('ms-serverid'), ['42']);
    assert.deepEqual(ok.headers.get('ms-cv'), ['abc.0']);
    const missing = await exchange(
      port,
      'GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.headers.get('ms-serverid'), ['42']);
    const garbled = await exchange(port, 'GET /ok HTTP/1.1\r\nHo st: x\r\n\r\n');
    assert.equal(garbled.status, 400);
    assert.deepEqual(garbled.headers.get('ms-serverid'), ['42']);
    assert.deepEqual(garbled.headers.get('ms-cv'), ['new.0']);
  });

  test('headers over the size Node accepts: a contract 431 with the caller’s ids and theirs', async () => {
    const requestId = '6b2b0c4e-3f7c-4c1e-9a55-0a6e3c2f1d7b';
    const res = await exchange(
      port,
      `GET /ok HTTP/1.1\r\nHost: x\r\nMS-CV: abc\r\nMS-RequestId: ${requestId}\r\n` +
        `X-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    assert.equal(res.status, 431);
    assert.deepEqual(res.headers.get('ms-requestid'), [requestId]);
    assert.deepEqual(res.headers.get('ms-cv'), ['abc.0']);
    assert.deepEqual(res.headers.get('ms-serverid'), ['42']);
    const body = JSON.parse(res.body) as { description: string };
    assert.equal(body.description, 'The request has more header fields than the server accepts.');
  });
});
