/** The node:http adapter beyond the case table: responses, streaming failures, clientError, wrappers. */

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { after, describe, test } from 'node:test';
import { badRequest, validateErrorBody } from '@apifault/contract';
import {
  createApp,
  installClientErrorHandler,
  type Logger,
  sendError,
  withApifault,
} from '../src/index.js';
import { send } from './helpers/http.js';

function recorder(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, error: (_o, msg) => errors.push(String(msg)), warn() {}, info() {} };
}

const servers: Server[] = [];
async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
after(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

/** Sends raw bytes and collects everything until the server closes. */
function raw(base: string, bytes: string, holdMs = 0): Promise<string> {
  return rawWithEnd(base, bytes, holdMs).then((r) => r.out);
}

/** Like {@link raw}, and says whether the server ended the connection (before `holdMs`). */
function rawWithEnd(
  base: string,
  bytes: string,
  holdMs = 0,
): Promise<{ out: string; serverEnded: boolean }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let out = '';
    let serverEnded = false;
    socket.on('data', (d) => {
      out += d.toString('utf8');
    });
    socket.on('end', () => {
      serverEnded = true;
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ out, serverEnded });
    });
    socket.on('error', reject);
    socket.write(bytes);
    if (holdMs === 0) return;
    timer = setTimeout(() => socket.destroy(), holdMs);
  });
}

function bodyOf(response: string): unknown {
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
}

describe('createApp', () => {
  test('JSON results, ctx.status, 204 for undefined, HEAD answered by GET, query and params', async () => {
    const app = createApp();
    app.get('/items/:id', (ctx) => ({ id: ctx.params['id'], q: ctx.query.get('q') }));
    app.post('/items', (ctx) => {
      ctx.status = 201;
      return { created: true };
    });
    app.delete('/items/:id', () => undefined);
    const base = await listen(createServer(app.handler));
    const got = await send(base, { method: 'GET', path: '/items/7?q=x' });
    assert.deepEqual(got.json, { id: '7', q: 'x' });
    assert.equal(got.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal((await send(base, { method: 'POST', path: '/items' })).status, 201);
    assert.equal((await send(base, { method: 'DELETE', path: '/items/7' })).status, 204);
    const head = await send(base, { method: 'HEAD', path: '/items/7' });
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
  });

  test('a streaming response that fails midway: connection cut, error logged, no crash', async () => {
    const logger = recorder();
    const app = createApp({ logger });
    app.get('/stream', async (ctx) => {
      ctx.res.writeHead(200, { 'content-type': 'application/json' });
      ctx.res.write('[1,2,');
      await new Promise((r) => setTimeout(r, 20));
      throw new Error('database went away');
    });
    app.get('/ok', () => ({ ok: true }));
    const base = await listen(createServer(app.handler));
    await assert.rejects(send(base, { method: 'GET', path: '/stream' }));
    assert.ok(
      logger.errors.some((m) => /after the response started/.test(m)),
      logger.errors.join(),
    );
    assert.equal((await send(base, { method: 'GET', path: '/ok' })).status, 200);
  });

  test('ctx.signal aborts when the client goes away', async () => {
    let aborted: Promise<boolean> | undefined;
    const app = createApp();
    app.get('/slow', (ctx) => {
      aborted = new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(true)));
      return new Promise(() => {});
    });
    const base = await listen(createServer(app.handler));
    const url = new URL(base);
    const socket = connect(Number(url.port), url.hostname);
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    while (!aborted) await new Promise((r) => setTimeout(r, 5));
    socket.destroy();
    assert.equal(await aborted, true);
  });

  test('a handler error renders with the ids the request sent', async () => {
    const app = createApp({ source: 'Ids' });
    app.get('/fail', () => {
      throw badRequest('nope');
    });
    const base = await listen(createServer(app.handler));
    const got = await send(base, {
      method: 'GET',
      path: '/fail',
      headers: { 'ms-requestid': 'r-9', 'ms-correlationid': 'c-9' },
    });
    assert.equal(got.headers['ms-requestid'], 'r-9');
    assert.equal(got.headers['ms-correlationid'], 'c-9');
    assert.deepEqual(got.json, { code: '400', description: 'nope', source: 'Ids' });
  });

  test('app.fail answers a returned error exactly as a thrown one', async () => {
    const app = createApp({ source: 'Ids' });
    app.get('/thrown', () => {
      throw badRequest('nope');
    });
    app.get('/returned', (ctx) => {
      app.fail(ctx, badRequest('nope'));
      return undefined;
    });
    const base = await listen(createServer(app.handler));
    const headers = { 'ms-requestid': 'r-7', 'ms-correlationid': 'c-7' };
    const thrown = await send(base, { method: 'GET', path: '/thrown', headers });
    const returned = await send(base, { method: 'GET', path: '/returned', headers });
    assert.equal(returned.status, 400);
    assert.deepEqual(returned.json, thrown.json);
    for (const name of [
      'content-type',
      'x-content-type-options',
      'ms-requestid',
      'ms-correlationid',
    ]) {
      assert.equal(returned.headers[name], thrown.headers[name], name);
    }
  });

  test('a 413 on a chunked body stops reading long before the body ends', async () => {
    const app = createApp({ bodyLimit: 1024 });
    let bytesRead = 0;
    app.post('/upload', async (ctx) => {
      try {
        return await ctx.json();
      } finally {
        bytesRead = ctx.req.socket.bytesRead;
      }
    });
    const base = await listen(createServer(app.handler));
    const url = new URL(base);
    const socket = connect(Number(url.port), url.hostname);
    let response = '';
    socket.on('data', (d) => {
      response += d.toString();
    });
    socket.on('error', () => {});
    socket.write(
      'POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    const chunk = `${(64 * 1024).toString(16)}\r\n${'a'.repeat(64 * 1024)}\r\n`;
    // Offer 16 MB, but stop as soon as the server has answered. The server must not close
    // on the unread rest (a reset makes the client's kernel drop the answer unread): it
    // lingers, reading and discarding, until the client stops.
    for (let i = 0; i < 256 && response === ''; i++) {
      if (!socket.write(chunk)) await new Promise((r) => setTimeout(r, 5));
    }
    while (!response.includes('}')) await new Promise((r) => setTimeout(r, 5));
    socket.destroy();
    assert.match(response, /^HTTP\/1\.1 413 /);
    assert.match(response, /connection: close/i);
    assert.ok(bytesRead < 1024 * 1024, `server read ${bytesRead} bytes`);
  });

  test('a body not received in time: 408, then the server closes the connection', async () => {
    const app = createApp({ bodyTimeoutMs: 100 });
    app.post('/slow', async (ctx) => ctx.json());
    const base = await listen(createServer(app.handler));
    const { out, serverEnded } = await rawWithEnd(
      base,
      'POST /slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"a"',
      5000,
    );
    assert.match(out, /^HTTP\/1\.1 408 /);
    assert.match(out, /connection: close/i);
    assert.equal(serverEnded, true, 'the server closed the connection');
  });

  test('10 000 levels of nesting parse; broken JSON is a 400 that says so', async () => {
    const app = createApp({ bodyLimit: 1024 * 1024 });
    app.post('/echo', async (ctx) => ({ type: typeof (await ctx.json()) }));
    const base = await listen(createServer(app.handler));
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const headers = { 'content-type': 'application/json' };
    const ok = await send(base, { method: 'POST', path: '/echo', headers, body: deep });
    assert.deepEqual(ok.json, { type: 'object' });
    const broken = await send(base, {
      method: 'POST',
      path: '/echo',
      headers,
      body: deep.slice(0, -1),
    });
    assert.equal(broken.status, 400);
    assert.match((broken.json as { description: string }).description, /not valid JSON/);
    const latin = await send(base, {
      method: 'POST',
      path: '/echo',
      headers,
      body: Buffer.from([0x22, 0xff, 0x22]),
    });
    assert.equal(
      (latin.json as { description: string }).description,
      'The request body is not valid JSON: it is not valid UTF-8.',
    );
  });
});

describe('withApifault and sendError', () => {
  test('withApifault answers throws and rejections, and stamps ids on success', async () => {
    const base = await listen(
      createServer(
        withApifault(async (req, res) => {
          if (req.url === '/fail') throw new Error('secret');
          res.end('ok');
        }),
      ),
    );
    const fail = await send(base, { method: 'GET', path: '/fail' });
    assert.equal(fail.status, 500);
    assert.ok(!fail.text.includes('secret'));
    const ok = await send(base, { method: 'GET', path: '/', headers: { 'ms-requestid': 'r1' } });
    assert.equal(ok.text, 'ok');
    assert.equal(ok.headers['ms-requestid'], 'r1');
  });

  test('sendError renders on a bare (req, res) handler', async () => {
    const base = await listen(
      createServer((req, res) => sendError(req, res, badRequest('bad'), { source: 'bare' })),
    );
    const got = await send(base, { method: 'GET', path: '/' });
    assert.deepEqual(got.json, { code: '400', description: 'bad', source: 'bare' });
  });
});

describe('installClientErrorHandler', () => {
  async function server(): Promise<string> {
    const s = createServer(
      { headersTimeout: 200, requestTimeout: 300, connectionsCheckingInterval: 50 },
      (_req, res) => res.end(),
    );
    installClientErrorHandler(s, { source: 'edge' });
    return listen(s);
  }

  test('a garbled request line gets a contract 400 on the raw socket', async () => {
    const out = await raw(await server(), 'GARBAGE / HTTP/1.1\r\n\r\n');
    assert.match(out, /^HTTP\/1\.1 (400|501) /);
    assert.deepEqual(validateErrorBody(bodyOf(out)), []);
    assert.match(out, /x-content-type-options: nosniff/);
  });

  test('an unknown method refused by the parser is a 501', async () => {
    const out = await raw(await server(), 'BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(out, /^HTTP\/1\.1 501 /);
  });

  test('headers too large: 431', async () => {
    const out = await raw(await server(), `GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.match(out, /^HTTP\/1\.1 431 /);
    assert.equal((bodyOf(out) as { source: string }).source, 'edge');
  });

  test('headers not received in time: 408', async () => {
    const out = await raw(await server(), 'GET / HTTP/1.1\r\nHost: x\r\n', 3000);
    assert.match(out, /^HTTP\/1\.1 408 /);
    assert.deepEqual(validateErrorBody(bodyOf(out)), []);
  });
});
