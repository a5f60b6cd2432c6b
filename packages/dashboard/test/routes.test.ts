/**
 * The dashboard on a plain node:http host, as the proxy uses it: host.json from the host's
 * options, the page under its Content-Security-Policy, a published exchange streamed and
 * opened with its secrets redacted, what the routes refuse; and the body tap's bounds.
 */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isApiError } from '@apifault/contract';
import {
  BodyRecorder,
  type CompletedExchange,
  Dashboard,
  ExchangeFeed,
  MAX_RECORDED_BODY,
  Traffic,
} from '@apifault/dashboard';

function exchange(overrides: Partial<CompletedExchange> = {}): CompletedExchange {
  const body = new BodyRecorder();
  body.add(Buffer.from('{"name":"Contoso","client_secret":"s3cret"}'));
  return {
    time: new Date().toISOString(),
    method: 'POST',
    path: '/v1/customers',
    target: '/v1/customers?x=1',
    secure: false,
    status: 201,
    durationMs: 1.5,
    requestId: 'req-1',
    correlationId: 'corr-1',
    partner: undefined,
    aborted: false,
    requestHeaders: { host: 'api.example', authorization: 'Bearer abc.def.ghi' },
    requestBody: body.body(),
    responseHeaders: { 'content-type': 'application/json' },
    responseBody: undefined,
    ...overrides,
  };
}

describe('the dashboard on a node:http host', () => {
  const feed = new ExchangeFeed();
  const traffic = new Traffic(feed);
  const dashboard = new Dashboard(traffic, { name: 'test host', panels: ['traffic'] });
  let server: Server;
  let url: string;

  before(async () => {
    server = createServer((req, res) => {
      const route = dashboard.route(new URL(req.url ?? '/', 'http://localhost').pathname);
      try {
        if (route === undefined) throw new Error('not a dashboard route');
        route(req, res, { 'ms-requestid': 'answered-by-test' });
      } catch (error) {
        const status = isApiError(error) ? error.status : 500;
        res.writeHead(status, isApiError(error) ? { ...error.headers } : {}).end();
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    traffic.close();
    server.closeAllConnections();
    server.close();
  });

  it("serves host.json from the host's options and the page under its policy", async () => {
    const host = await fetch(`${url}/_emulator/ui/host.json`);
    assert.equal(host.status, 200);
    assert.deepEqual(await host.json(), { name: 'test host', panels: ['traffic'] });
    const page = await fetch(`${url}/_emulator/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('ms-requestid'), 'answered-by-test');
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(await page.text(), /data-panel="maintenance"/);
  });

  it('streams a published exchange only while a page listens, and opens it redacted', async () => {
    assert.equal(feed.watched, false);
    const res = await fetch(`${url}/_emulator/events`);
    assert.equal(res.status, 200);
    assert.equal(feed.watched, true);
    feed.publish(exchange());
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('event: exchange')) {
      const { value, done } = await reader.read();
      assert.equal(done, false);
      text += new TextDecoder().decode(value);
    }
    const { seq } = JSON.parse(/event: exchange\ndata: (.*)\n/.exec(text)?.[1] ?? '{}') as {
      seq: number;
    };
    const details = (await (await fetch(`${url}/_emulator/exchanges/${seq}`)).json()) as {
      requestHeaders: Record<string, string>;
      requestBody: { text: string };
    };
    assert.equal(details.requestHeaders.authorization, 'Bearer [redacted]');
    assert.match(details.requestBody.text, /"client_secret": "\[redacted\]"/);
    await reader.cancel();
    for (let i = 0; i < 50 && feed.watched; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(feed.watched, false, 'the page went away: nothing is recorded');
  });

  it('refuses other methods, unknown files and exchanges, and a number that is none', async () => {
    const posted = await fetch(`${url}/_emulator/events`, { method: 'POST' });
    assert.deepEqual([posted.status, posted.headers.get('allow')], [405, 'GET, HEAD']);
    assert.equal((await fetch(`${url}/_emulator/ui/..%2Fpackage.json`)).status, 404);
    assert.equal((await fetch(`${url}/_emulator/exchanges/12345`)).status, 404);
    assert.equal((await fetch(`${url}/_emulator/exchanges/0`)).status, 400);
    const redirect = await fetch(`${url}/_emulator`, { redirect: 'manual' });
    assert.deepEqual([redirect.status, redirect.headers.get('location')], [308, '/_emulator/']);
    assert.equal(dashboard.route('/_emulator/faults'), undefined);
  });
});

describe('BodyRecorder', () => {
  it('keeps the first bytes up to its limit, counts them all; a record keeps 64 KiB', () => {
    const recorder = new BodyRecorder(MAX_RECORDED_BODY * 2);
    for (let i = 0; i < 5; i++) recorder.add(Buffer.alloc(MAX_RECORDED_BODY / 2, i));
    assert.equal(recorder.bytes, MAX_RECORDED_BODY * 2.5);
    assert.equal(recorder.kept().length, MAX_RECORDED_BODY * 2);
    const body = recorder.body();
    assert.equal(body?.kept.byteLength, MAX_RECORDED_BODY);
    assert.equal(body?.bytes, MAX_RECORDED_BODY * 2.5);
    assert.equal(body?.truncated, true);
    assert.equal(new BodyRecorder().body(), undefined, 'no body');
  });
});

describe('the listing budget: past it, exchanges are counted, not recorded', () => {
  it('admits the first maxListedPerSecond exchanges of each second', (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
    const feed = new ExchangeFeed({ maxListedPerSecond: 2 });
    assert.deepEqual([feed.admit(), feed.admit(), feed.admit()], [true, true, false]);
    t.mock.timers.tick(999);
    assert.equal(feed.admit(), false, 'the same second');
    t.mock.timers.tick(1);
    assert.deepEqual([feed.admit(), feed.admit(), feed.admit()], [true, true, false]);
  });

  it("the second's counts hold the skipped exchanges, and say how many were not listed", async () => {
    const feed = new ExchangeFeed({ maxListedPerSecond: 1 });
    const traffic = new Traffic(feed);
    const server = createServer((_req, res) => traffic.open(res, {}));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      feed.publish(exchange());
      feed.skip(404);
      feed.skip(0);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      type Stats = { counts: Record<string, number>; unlisted: number };
      // The first second that counted anything (a tick may come before the exchanges).
      const counted = (text: string): Stats | undefined =>
        [...text.matchAll(/event: stats\ndata: (.*)\n/g)]
          .map((match) => JSON.parse(match[1] ?? '{}') as Stats)
          .find((second) => Object.values(second.counts).some((count) => count > 0));
      let text = '';
      while (counted(text) === undefined) {
        const { value, done } = await reader.read();
        assert.equal(done, false);
        text += new TextDecoder().decode(value);
      }
      const stats = counted(text) as Stats;
      assert.deepEqual(
        [stats.counts['2xx'], stats.counts['4xx'], stats.counts.aborted, stats.unlisted],
        [1, 1, 1, 2],
      );
      assert.equal(text.match(/event: exchange/g)?.length, 1, 'only the admitted one is listed');
      await reader.cancel();
    } finally {
      traffic.close();
      server.closeAllConnections();
      server.close();
    }
  });
});
