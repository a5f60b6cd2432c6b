/**
 * Pass-through: with no fault rule, an answer through the proxy is the upstream's, byte for
 * byte (status, body, end-to-end headers), against the emulator and against a plain Express
 * app; hop-by-hop headers stay on their hop, Host is the upstream's, X-Forwarded-* are added.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '@apifault/emulator';
import { type RunningProxy, startProxy } from '@apifault/proxy';
import {
  comparable,
  type ExpressUpstream,
  send,
  startExpressUpstream,
  varyingHeaders,
} from './helpers/http.js';

/** Asks `path` directly, through the proxy, and directly again: the proxied answer must equal the direct one. */
async function assertSameAnswer(
  direct: string,
  proxied: string,
  path: string,
  init: Parameters<typeof send>[1] = {},
): Promise<void> {
  const first = await send(direct + path, init);
  const through = await send(proxied + path, init);
  const second = await send(direct + path, init);
  const volatile = varyingHeaders(first, second);
  const what = `${init.method ?? 'GET'} ${path}`;
  assert.equal(through.status, first.status, `${what}: status`);
  assert.deepEqual(through.body, first.body, `${what}: body`);
  assert.deepEqual(comparable(through, volatile), comparable(first, volatile), `${what}: headers`);
}

describe('pass-through against the emulator', () => {
  let emulator: RunningEmulator;
  let proxy: RunningProxy;
  let auth: Record<string, string>;
  /** Request ids to echo: a GET only (a write with a repeated MS-RequestId is replayed, as it should be). */
  const ids = {
    'ms-requestid': 'a7c3e0f2-0000-4000-8000-000000000001',
    'ms-correlationid': 'a7c3e0f2-0000-4000-8000-000000000002',
  };

  before(async () => {
    emulator = await startEmulator({ port: 0, memory: true, log: false });
    proxy = await startProxy({ upstream: emulator.url, port: 0 });
    auth = { authorization: `Bearer ${await emulator.token()}` };
  });
  after(async () => {
    await proxy.close();
    await emulator.close();
  });

  it('answers 200, 401, 404, 405 and 400 exactly as the emulator does', async () => {
    await assertSameAnswer(emulator.url, proxy.url, '/v1/customers', {
      headers: { ...auth, ...ids },
    });
    await assertSameAnswer(emulator.url, proxy.url, '/v1/customers?size=1', {
      headers: { ...auth, ...ids },
    });
    await assertSameAnswer(emulator.url, proxy.url, '/v1/customers', { headers: ids });
    await assertSameAnswer(
      emulator.url,
      proxy.url,
      '/v1/customers/00000000-0000-4000-8000-000000000000',
      { headers: { ...auth, ...ids } },
    );
    await assertSameAnswer(emulator.url, proxy.url, '/v1/customers', {
      method: 'DELETE',
      headers: auth,
    });
    await assertSameAnswer(emulator.url, proxy.url, '/v1/customers', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"companyProfile":',
    });
  });

  it('checks the emulator: its error answers keep the contract', () => {
    const { checked, errors, warnings } = proxy.violations.summary();
    assert.ok(checked >= 4, `${checked} error answers checked`);
    assert.deepEqual({ errors, warnings }, { errors: 0, warnings: 0 });
  });
});

describe('pass-through against a plain Express app', () => {
  let upstream: ExpressUpstream;
  let proxy: RunningProxy;

  before(async () => {
    upstream = await startExpressUpstream();
    proxy = await startProxy({ upstream: upstream.url, port: 0 });
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('answers JSON with two Set-Cookie headers, a 404 page, a HEAD and a streamed 256 KiB body as Express does', async () => {
    await assertSameAnswer(upstream.url, proxy.url, '/hello');
    await assertSameAnswer(upstream.url, proxy.url, '/hello', { method: 'HEAD' });
    await assertSameAnswer(upstream.url, proxy.url, '/missing?x=1');
    const body = Buffer.alloc(256 * 1024, 'abcdefgh');
    await assertSameAnswer(upstream.url, proxy.url, '/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body,
    });
    assert.deepEqual(upstream.received.at(-2)?.body, body, 'the upstream got the body whole');
  });

  it('keeps hop-by-hop headers on their hop, rewrites Host and adds X-Forwarded-*', async () => {
    const proxyHost = new URL(proxy.url).host;
    const seen = upstream.nextRequest();
    const answer = await send(`${proxy.url}/hop`, {
      headers: {
        connection: 'keep-alive, x-client-hop',
        'x-client-hop': 'for the proxy only',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'proxy-authorization': 'Basic cHJveHk6c2VjcmV0',
        'x-forwarded-for': '203.0.113.7',
        'x-end-to-end': 'kept',
      },
    });
    const request = await seen;
    assert.equal(request.headers.host, new URL(upstream.url).host);
    assert.equal(request.headers['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
    assert.equal(request.headers['x-forwarded-proto'], 'http');
    assert.equal(request.headers['x-forwarded-host'], proxyHost);
    assert.equal(request.headers['x-end-to-end'], 'kept');
    for (const name of ['x-client-hop', 'te', 'proxy-authorization', 'keep-alive']) {
      assert.equal(request.headers[name], undefined, `${name} is not forwarded`);
    }
    assert.equal(answer.status, 200);
    assert.equal(answer.body.toString(), 'hop');
    assert.equal(answer.headers['x-end-to-end'], 'kept');
    assert.equal(
      answer.headers['x-hop'],
      undefined,
      'a header the upstream Connection names stays',
    );
    assert.equal(answer.headers['proxy-note'], undefined);
  });
});
