/**
 * The dashboard on the proxy: its live traffic stream shows what the proxy forwards, the
 * faults it injects and the exchanges whose client hung up, not its own control traffic; an
 * exchange's details are redacted as on the emulator; the page, in Debian's Chromium, names
 * the proxy, shows the traffic and faults panels only, lists requests as they pass, and axe
 * finds nothing serious.
 */

import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { MAX_LISTED_PER_SECOND } from '@apifault/dashboard';
import { type RunningProxy, startProxy } from '@apifault/proxy';
import { parseFaultRule } from '@apifault/server/faults';
import type { BrowserContext, Page } from 'playwright-core';
import {
  buildDashboard,
  graveViolations,
  launchChromium,
  watchPage,
} from '../../dashboard/test/helpers/chromium.js';
import { streamUnderLoad } from '../../dashboard/test/helpers/load.js';
import { type ExpressUpstream, send, startExpressUpstream } from './helpers/http.js';

interface Summary {
  seq: number;
  method: string;
  path: string;
  status: number;
  requestId: string;
  correlationId: string;
  aborted: boolean;
}

/** The `exchange` events of a live traffic stream, as they come. */
class ExchangeEvents {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #text = '';
  readonly seen: Summary[] = [];

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  /** Resolves with the first exchange that `matches`, reading on until it comes (bounded: 5 s). */
  async next(matches: (summary: Summary) => boolean): Promise<Summary> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const found = this.seen.find(matches);
      if (found) return found;
      assert.ok(Date.now() < deadline, 'the exchange was not streamed within 5 s');
      const { value, done } = await this.#reader.read();
      assert.equal(done, false, 'the stream ended');
      this.#text += this.#decoder.decode(value, { stream: true });
      let end = this.#text.indexOf('\n\n');
      while (end !== -1) {
        const block = this.#text.slice(0, end);
        this.#text = this.#text.slice(end + 2);
        const data = /^event: exchange\ndata: (.*)$/m.exec(block)?.[1];
        if (data !== undefined) this.seen.push(JSON.parse(data) as Summary);
        end = this.#text.indexOf('\n\n');
      }
    }
  }

  cancel(): Promise<void> {
    return this.#reader.cancel();
  }
}

/** Sends a request and hangs up before any answer, once the proxy has it. */
async function hangUp(url: string): Promise<void> {
  const req = httpRequest(url, { agent: false });
  req.on('error', () => undefined);
  req.end();
  await new Promise((resolve) => setTimeout(resolve, 200));
  req.destroy();
}

describe('the live traffic on the proxy', () => {
  let upstream: ExpressUpstream;
  let proxy: RunningProxy;
  let events: ExchangeEvents;

  before(async () => {
    upstream = await startExpressUpstream();
    proxy = await startProxy({ upstream: upstream.url, port: 0 });
    const res = await fetch(`${proxy.url}/_emulator/events`, {
      headers: { accept: 'text/event-stream' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    events = new ExchangeEvents(res.body as ReadableStream<Uint8Array>);
  });
  after(async () => {
    await events?.cancel();
    await proxy?.close();
    await upstream?.close();
  });

  it('streams a forwarded exchange; its details show the bodies, Authorization redacted', async () => {
    const secret = 'proxy-dashboard-secret-token';
    const answer = await send(`${proxy.url}/echo?x=1`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${secret}`,
        'content-type': 'application/json',
        'ms-requestid': 'req-forwarded',
        'ms-correlationid': 'corr-forwarded',
      },
      body: JSON.stringify({ name: 'Contoso', password: 'hunter2' }),
    });
    assert.equal(answer.status, 200);
    const summary = await events.next((s) => s.requestId === 'req-forwarded');
    assert.deepEqual(
      [summary.method, summary.path, summary.status, summary.correlationId, summary.aborted],
      ['POST', '/echo', 200, 'corr-forwarded', false],
    );
    const res = await fetch(`${proxy.url}/_emulator/exchanges/${summary.seq}`);
    assert.equal(res.status, 200);
    const details = (await res.json()) as {
      target: string;
      requestHeaders: Record<string, string>;
      requestBody: { text: string } | null;
      responseBody: { text: string } | null;
      curl: string;
    };
    assert.equal(details.target, '/echo?x=1');
    assert.equal(details.requestHeaders.authorization, 'Bearer [redacted]');
    assert.ok(!JSON.stringify(details).includes(secret), 'the token is shown nowhere');
    assert.match(details.requestBody?.text ?? '', /"name": "Contoso"/);
    assert.match(details.requestBody?.text ?? '', /"password": "\[redacted\]"/);
    assert.match(details.responseBody?.text ?? '', /"name": "Contoso"/);
    assert.match(details.curl, /"Authorization: Bearer \$APIFAULT_TOKEN"/);
  });

  it('streams an injected fault with the answer the proxy gave', async () => {
    proxy.faults.replace([parseFaultRule('GET /hello=503,retryAfter=9', 'proxy')]);
    try {
      const answer = await send(`${proxy.url}/hello`);
      assert.equal(answer.status, 503);
      const requestId = String(answer.headers['ms-requestid']);
      const summary = await events.next((s) => s.path === '/hello' && s.status === 503);
      assert.equal(summary.requestId, requestId, "the answer's id, the request had none");
      const details = (await (
        await fetch(`${proxy.url}/_emulator/exchanges/${summary.seq}`)
      ).json()) as { responseHeaders: Record<string, string>; responseBody: { text: string } };
      assert.equal(details.responseHeaders['retry-after'], '9');
      assert.match(details.responseBody.text, /Fault rule GET \/hello/);
    } finally {
      proxy.faults.clear();
    }
  });

  it('streams an exchange whose client hung up as status 0, forwarded or hung by a fault', async () => {
    await hangUp(`${proxy.url}/slow`);
    const forwarded = await events.next((s) => s.path === '/slow');
    assert.deepEqual([forwarded.status, forwarded.aborted], [0, true]);
    proxy.faults.replace([parseFaultRule('GET /held=hang', 'proxy')]);
    try {
      await hangUp(`${proxy.url}/held`);
      const held = await events.next((s) => s.path === '/held');
      assert.deepEqual([held.status, held.aborted], [0, true]);
    } finally {
      proxy.faults.clear();
    }
  });

  it("does not list its own control traffic, and refuses what the emulator's dashboard refuses", async () => {
    assert.equal((await send(`${proxy.url}/_emulator/faults`)).status, 200);
    assert.equal((await send(`${proxy.url}/_emulator/ui/host.json`)).status, 200);
    await send(`${proxy.url}/hello`, { headers: { 'ms-requestid': 'req-after-control' } });
    await events.next((s) => s.requestId === 'req-after-control');
    assert.deepEqual(
      events.seen.filter((s) => s.path.startsWith('/_emulator')),
      [],
    );
    const invalid = await send(`${proxy.url}/_emulator/exchanges/first`);
    assert.equal(invalid.status, 400);
    assert.equal(JSON.parse(invalid.body.toString()).source, 'PartnerFD');
    assert.equal((await send(`${proxy.url}/_emulator/exchanges/999999`)).status, 404);
    assert.equal((await send(`${proxy.url}/_emulator/ui/nothing.js`)).status, 404);
    const posted = await send(`${proxy.url}/_emulator/events`, { method: 'POST' });
    assert.equal(posted.status, 405);
    assert.equal(posted.headers.allow, 'GET, HEAD');
    const rebound = await send(`${proxy.url}/_emulator/events`, {
      headers: { host: 'evil.example' },
    });
    assert.equal(rebound.status, 403);
    const redirect = await send(`${proxy.url}/_emulator`);
    assert.deepEqual([redirect.status, redirect.headers.location], [308, '/_emulator/']);
  });
});

describe('the dashboard page on the proxy, in Chromium', () => {
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let upstream: ExpressUpstream;
  let proxy: RunningProxy;
  let page: Page;
  let problems: string[];

  before(async () => {
    buildDashboard();
    browser = await launchChromium();
    upstream = await startExpressUpstream();
    proxy = await startProxy({ upstream: upstream.url, port: 0, seed: 7 });
    page = await browser.context.newPage();
    problems = watchPage(page);
  });
  after(async () => {
    await page?.close();
    await browser?.close();
    await proxy?.close();
    await upstream?.close();
  });

  it('names the proxy and shows the traffic and faults panels only', async () => {
    await page.goto(`${proxy.url}/_emulator/`);
    await page.locator('#connection', { hasText: 'Live' }).waitFor({ timeout: 5000 });
    await page.locator('#fault-seed', { hasText: /^7$/ }).waitFor({ timeout: 5000 });
    assert.equal(await page.title(), 'apifault proxy');
    assert.equal(await page.locator('h1').textContent(), 'apifault proxy');
    for (const id of ['traffic', 'rates', 'faults']) {
      assert.equal(await page.locator(`#${id}`).isVisible(), true, `#${id} is shown`);
    }
    for (const id of ['maintenance', 'tokens']) {
      assert.equal(await page.locator(`#${id}`).isHidden(), true, `#${id} is hidden`);
    }
    assert.deepEqual(problems, []);
  });

  it('lists a request as it passes, and a fault added on the page fails the next one', async () => {
    const res = await fetch(`${proxy.url}/hello`, { headers: { 'ms-requestid': 'req-page' } });
    assert.equal(res.status, 200);
    const row = page.locator('#exchanges tbody tr', { hasText: 'req-page' });
    await row.waitFor({ timeout: 2000 });
    const cells = await row.locator('td').allTextContents();
    assert.deepEqual([cells[1], cells[2], cells[3]], ['GET', '/hello', '200']);

    await page.fill('#fault-rule', 'GET /hello=500');
    await page.click('#add-fault button[type=submit]');
    await page.locator('#fault-rules tbody tr', { hasText: 'GET /hello=500' }).waitFor();
    const failed = await fetch(`${proxy.url}/hello`, { headers: { 'ms-requestid': 'req-fail' } });
    assert.equal(failed.status, 500);
    const failedRow = page.locator('#exchanges tbody tr', { hasText: 'req-fail' });
    await failedRow.waitFor({ timeout: 2000 });
    assert.equal((await failedRow.locator('td').allTextContents())[3], '500');
    assert.deepEqual(problems, []);
  });

  it('axe-core finds no serious or critical violation', async () => {
    assert.equal(await page.locator('h1').textContent(), 'apifault proxy', 'the dashboard is open');
    assert.deepEqual(await graveViolations(page), []);
  });
});

describe('heavy traffic through the proxy with a page streaming', () => {
  it('every exchange is counted once, listed or not; past the budget they are counted only', async (t) => {
    const upstream = await startExpressUpstream();
    const proxy = await startProxy({ upstream: upstream.url, port: 0 });
    try {
      const total = 3 * MAX_LISTED_PER_SECOND;
      const seen = await streamUnderLoad(proxy.url, `${proxy.url}/hello`, total);
      assert.equal(seen.counted, total);
      assert.equal(seen.listed + seen.unlisted, total);
      t.diagnostic(`${seen.listed} listed, ${seen.unlisted} counted only`);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
