/** The emulator on the server's pipeline: which stages apply where, and the codes its onError gives the toolkit's errors. */

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { validateErrorBody } from '@apifault/contract';
import { SEED_CUSTOMERS } from '@apifault/emulator';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';

/** A raw request (fetch normalises paths and refuses some methods). */
function raw(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers, path }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends `text` on a new connection and resolves with everything the server answers. */
function rawSocket(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('the emulator on the server pipeline', () => {
  let emu: TestEmulator;
  let auth: Record<string, string>;
  const logs: string[] = [];

  before(async () => {
    emu = await startTestEmulator({
      rateLimit: { limit: 5, windowSeconds: 60 },
      // The RateLimit headers say whether a route is counted; the real service's wire has none.
      wire: 'contract',
      log: (line) => logs.push(line),
      logLevel: 'info',
    });
    auth = { authorization: `Bearer ${await emu.token()}` };
  });
  after(() => emu.close());

  it('gives the toolkit’s 400 (path policy) 800002 and its 501 (unknown method) 0', async () => {
    const dots = await raw(emu.url, 'GET', '/v1/customers/../customers', auth);
    assert.equal(dots.status, 400);
    assert.deepEqual(validateErrorBody(dots.body), []);
    assert.equal(dots.body.code, '800002');
    const method = await raw(emu.url, 'PROPFIND', `/v1/customers/${SEED_CUSTOMERS.adatum}`, auth);
    assert.equal(method.status, 501);
    assert.equal(method.body.code, '0');
  });

  it('neither authenticates nor counts the control routes, nor puts them in maintenance', async () => {
    const on = await fetch(`${emu.url}/_emulator/maintenance`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: true, retryAfter: 5 }),
    });
    assert.equal(on.status, 200);
    try {
      assert.equal((await fetch(`${emu.url}/v1/customers`, { headers: auth })).status, 503);
      // Ten times the partner's budget, no token: every one answered.
      for (let i = 0; i < 10; i++) {
        const res = await fetch(`${emu.url}/_emulator/maintenance`);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('ratelimit'), null);
      }
    } finally {
      const off = await fetch(`${emu.url}/_emulator/maintenance`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ enabled: false }),
      });
      assert.equal(off.status, 200);
    }
    const limited = await fetch(`${emu.url}/v1/customers`, { headers: auth });
    assert.equal(limited.status, 200);
    assert.ok(limited.headers.get('ratelimit'), 'a Partner Center route is counted');
  });

  it('puts MS-CV and MS-ServerId on every answer, those Node’s parser refuses included', async () => {
    const ok = await fetch(`${emu.url}/openapi.json`, { headers: { 'ms-cv': 'abc.1' } });
    assert.equal(ok.headers.get('ms-cv'), 'abc.1.0');
    const serverId = ok.headers.get('ms-serverid');
    assert.match(serverId ?? '', /^\d{9}$/);
    const refused = await rawSocket(emu.port, 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    assert.match(refused, /^HTTP\/1\.1 400 /);
    assert.match(refused, /\r\nms-cv: [A-Za-z0-9+/]{16}\.0\r\n/i);
    assert.ok(refused.toLowerCase().includes(`\r\nms-serverid: ${serverId}\r\n`), refused);
  });

  it('answers a header flood 431, not 401, with MS-CV and MS-ServerId', async () => {
    // Node keeps the first 2 000 header fields: the token after them used to be dropped.
    let head = 'GET /v1/customers HTTP/1.1\r\nHost: 127.0.0.1\r\nMS-CV: flood.1\r\n';
    for (let i = 0; i < 2100; i++) head += `x-h${i}: 1\r\n`;
    head += `Authorization: ${auth.authorization}\r\nConnection: close\r\n\r\n`;
    const answer = await rawSocket(emu.port, head);
    assert.match(answer, /^HTTP\/1\.1 431 /);
    const split = answer.indexOf('\r\n\r\n');
    const headers = answer.slice(0, split + 2);
    // Node 20 cuts the flood to maxHeadersCount and the pipeline answers (chunked); Node 24
    // refuses its size, and the clientError handler answers on the socket (Content-Length).
    const chunked = /\r\ntransfer-encoding: chunked\r\n/i.test(headers);
    let body = chunked ? '' : answer.slice(split + 4);
    // The chunked body: size line, data, until the zero-size chunk.
    for (let at = split + 4; chunked; ) {
      const end = answer.indexOf('\r\n', at);
      const size = Number.parseInt(answer.slice(at, end), 16);
      if (!(size > 0)) break;
      body += answer.slice(end + 2, end + 2 + size);
      at = end + 2 + size + 2;
    }
    assert.match(headers, /\r\nms-cv: flood\.1\.0\r\n/i);
    assert.match(headers, /\r\nms-serverid: \d{9}\r\n/i);
    assert.match(headers, /\r\ncontent-type: application\/json; charset=utf-8\r\n/i);
    const error = JSON.parse(body) as Record<string, unknown>;
    assert.deepEqual(validateErrorBody(error), []);
    assert.equal(error.description, 'The request has more header fields than the server accepts.');
  });

  it('logs every request once, those answered by a stage included', () => {
    const lines = logs.map((line) => JSON.parse(line) as { path: string; status: number });
    const maintenance = lines.filter((line) => line.path === '/_emulator/maintenance');
    assert.equal(maintenance.length, 12);
    assert.ok(lines.some((line) => line.path === '/v1/customers' && line.status === 503));
    assert.ok(lines.some((line) => line.status === 400));
  });
});
