/**
 * The dashboard at /_emulator/, driven in Debian's Chromium through Playwright against a real
 * emulator on 127.0.0.1 with a SQLite file: live traffic, faults, maintenance, tokens, the
 * control token, an accessibility scan; and its event stream over plain HTTP.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type RunningEmulator, SEED_PARTNER, startEmulator } from '@apifault/emulator';
import type { BrowserContext, Page } from 'playwright-core';
import {
  buildDashboard,
  graveViolations,
  launchChromium,
  watchPage,
} from '../../dashboard/test/helpers/chromium.js';

const dir = mkdtempSync(join(tmpdir(), 'apifault-dashboard-'));
let browser: { context: BrowserContext; close: () => Promise<void> };

before(async () => {
  buildDashboard();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard in Chromium', () => {
  let emu: RunningEmulator;
  let page: Page;
  let problems: string[];
  let headers: Record<string, string>;

  before(async () => {
    emu = await startEmulator({ db: join(dir, 'emulator.db'), port: 0, log: false });
    headers = { authorization: `Bearer ${await emu.token()}` };
    page = await browser.context.newPage();
    problems = watchPage(page);
  });

  after(async () => {
    await page?.close();
    await emu?.close();
  });

  test('loads with no console error and no failed request', async () => {
    await page.goto(`${emu.url}/_emulator/`);
    await page.locator('#connection', { hasText: 'Live' }).waitFor({ timeout: 5000 });
    await page.locator('#fault-seed', { hasText: /^\d+$/ }).waitFor({ timeout: 5000 });
    assert.deepEqual(problems, []);
  });

  test('a request appears within a second, with its status and ids, and opens to headers and bodies', async () => {
    const requestId = '5a1f7d9c-0b1e-4c2d-9e3f-4a5b6c7d8e9f';
    const correlationId = '6b2e8c0d-1c2f-4d3e-8f40-5b6c7d8e9fa0';
    const res = await fetch(`${emu.url}/v1/customers`, {
      headers: { ...headers, 'ms-requestid': requestId, 'ms-correlationid': correlationId },
    });
    assert.equal(res.status, 200);
    const row = page.locator('#exchanges tbody tr', { hasText: requestId });
    await row.waitFor({ timeout: 1000 });
    const cells = await row.locator('td').allTextContents();
    assert.equal(cells[1], 'GET');
    assert.equal(cells[2], '/v1/customers');
    assert.equal(cells[3], '200');
    assert.equal(cells[5], requestId);
    assert.equal(cells[6], correlationId);
    assert.equal(cells[7], SEED_PARTNER);

    await row.getByRole('button', { name: '/v1/customers' }).click();
    const requestHeaders = page.locator('#request-headers');
    await requestHeaders.filter({ hasText: 'ms-requestid' }).waitFor({ timeout: 2000 });
    const shown = (await requestHeaders.textContent()) ?? '';
    assert.match(shown, /authorization: Bearer \[redacted\]/);
    assert.ok(!shown.includes(headers.authorization?.slice(7) ?? '-'), 'the token is not shown');
    assert.match((await page.locator('#response-headers').textContent()) ?? '', /^200\n/);
    assert.match((await page.locator('#response-body').textContent()) ?? '', /"totalCount"/);
    const curl = (await page.locator('#curl').textContent()) ?? '';
    assert.match(curl, /^curl -i 'http:\/\/127\.0\.0\.1:\d+\/v1\/customers'/);
    assert.match(curl, /"Authorization: Bearer \$APIFAULT_TOKEN"/);
    assert.match(curl, new RegExp(`'ms-requestid: ${requestId}'`));
  });

  test('a rule added on the page fails the next matching request, and its counter rises', async () => {
    await page.fill('#fault-rule', 'GET /v1/customers=503');
    await page.click('#add-fault button[type=submit]');
    const rule = page.locator('#fault-rules tbody tr', { hasText: 'GET /v1/customers=503' });
    await rule.waitFor({ timeout: 2000 });
    assert.equal(await rule.locator('td').nth(2).textContent(), '0');
    const res = await fetch(`${emu.url}/v1/customers`, { headers });
    assert.equal(res.status, 503);
    await page
      .locator('#fault-rules tbody tr', { hasText: 'GET /v1/customers=503' })
      .locator('td:nth-child(3)', { hasText: /^1$/ })
      .waitFor({ timeout: 3000 });
    assert.equal((await fetch(`${emu.url}/v1/customers/nope`, { headers })).status, 404);

    await page.click('#clear-faults');
    await page.locator('#fault-rules tbody tr').first().waitFor({ state: 'detached' });
    assert.equal((await fetch(`${emu.url}/v1/customers`, { headers })).status, 200);
  });

  test("adding and removing a rule on the page keeps the other rules' counters", async () => {
    const kept = 'GET /v1/customers=503';
    const other = 'GET /v1/orders=500';
    const row = (text: string) => page.locator('#fault-rules tbody tr', { hasText: text });
    const counters = async (text: string) =>
      (await row(text).locator('td').allTextContents()).slice(1, 3);
    await page.fill('#fault-rule', kept);
    await page.click('#add-fault button[type=submit]');
    await row(kept).waitFor({ timeout: 2000 });
    assert.equal((await fetch(`${emu.url}/v1/customers`, { headers })).status, 503);
    await row(kept).locator('td:nth-child(3)', { hasText: /^1$/ }).waitFor({ timeout: 3000 });

    await page.fill('#fault-rule', other);
    await page.click('#add-fault button[type=submit]');
    await row(other).waitFor({ timeout: 2000 });
    assert.deepEqual(await counters(kept), ['1', '1'], 'adding kept the counters');

    await row(other)
      .getByRole('button', { name: `Remove ${other}` })
      .click();
    await row(other).waitFor({ state: 'detached', timeout: 2000 });
    assert.deepEqual(await counters(kept), ['1', '1'], 'removing kept the counters');
    assert.deepEqual(
      emu.emulator.faults.list().map(({ calls, fired }) => [calls, fired]),
      [[1, 1]],
    );

    await page.click('#clear-faults');
    await page.locator('#fault-rules tbody tr').first().waitFor({ state: 'detached' });
  });

  test("an invalid rule shows the server's description inline", async () => {
    const invalid = 'GET /v1/customers=299';
    const direct = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [invalid] }),
    });
    assert.equal(direct.status, 400);
    const { description } = (await direct.json()) as { description: string };
    await page.fill('#fault-rule', invalid);
    await page.click('#add-fault button[type=submit]');
    await page.locator('#fault-error', { hasText: 'is not 4xx/5xx' }).waitFor({ timeout: 2000 });
    assert.equal(await page.locator('#fault-error').textContent(), description);
    assert.equal(await page.getAttribute('#fault-rule', 'aria-invalid'), 'true');
    assert.equal(emu.emulator.faults.list().length, 0);
  });

  test('maintenance on answers 503 with the chosen Retry-After; off restores', async () => {
    await page.fill('#retry-after', '120');
    await page.click('#maintenance-on');
    await page.locator('#maintenance-state', { hasText: 'Retry-After: 120' }).waitFor();
    const down = await fetch(`${emu.url}/v1/customers`, { headers });
    assert.equal(down.status, 503);
    assert.equal(down.headers.get('retry-after'), '120');
    await page.click('#maintenance-off');
    await page.locator('#maintenance-state', { hasText: 'Off.' }).waitFor();
    assert.equal((await fetch(`${emu.url}/v1/customers`, { headers })).status, 200);
  });

  test('a minted token works against /v1/customers', async () => {
    await page.fill('#token-roles', 'reader');
    await page.click('#mint button[type=submit]');
    // Polled through the locator: waitForFunction evaluates its predicate as a string in the
    // page, which the page's Content-Security-Policy (no 'unsafe-eval') rightly refuses.
    let token = '';
    for (let tries = 0; tries < 50 && token.length <= 20; tries += 1) {
      token = await page.inputValue('#token');
      if (token.length <= 20) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const res = await fetch(`${emu.url}/v1/customers`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
  });

  test('the fault table stays inside its box, narrow or wide', async () => {
    const rules = ['GET /v1/customers/*/subscriptions/**=503,p=0.3,first=5', 'GET /v1/x=500'];
    const added = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules }),
    });
    assert.equal(added.status, 201);
    await page.locator('#fault-rules tbody tr').nth(1).waitFor({ timeout: 3000 });
    try {
      for (const width of [360, 700, 1100, 1400]) {
        await page.setViewportSize({ width, height: 900 });
        // Run in the page (this test's types have no DOM).
        const box = (await page.evaluate(`(() => {
          const section = document.getElementById('fault-rules').closest('section');
          const buttons = [...document.querySelectorAll('#fault-rules tbody button')];
          return {
            section: section.getBoundingClientRect().right,
            buttons: Math.max(...buttons.map((b) => b.getBoundingClientRect().right)),
            page: document.documentElement.scrollWidth,
          };
        })()`)) as { section: number; buttons: number; page: number };
        assert.ok(
          box.buttons <= box.section,
          `${width}px: Remove ends at ${box.buttons}, its box at ${box.section}`,
        );
        assert.ok(box.page <= width, `${width}px: the page is ${box.page}px wide`);
      }
    } finally {
      await page.setViewportSize({ width: 1400, height: 900 });
      await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' });
    }
  });

  test('axe-core finds no serious or critical violation', async () => {
    assert.deepEqual(await graveViolations(page), []);
  });
});

describe('the dashboard with a control token', () => {
  const controlToken = 'dashboard-test-control-token';
  let emu: RunningEmulator;

  before(async () => {
    emu = await startEmulator({ memory: true, port: 0, log: false, controlToken });
  });

  after(async () => {
    await emu?.close();
  });

  test('serves its page without the token, asks for it once, then works', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${emu.url}/_emulator/`);
      const dialog = page.locator('#control-token-dialog');
      await dialog.waitFor({ state: 'visible', timeout: 5000 });
      await page.fill('#control-token', controlToken);
      await page.click('#control-token-form button[type=submit]');
      await page.locator('#connection', { hasText: 'Live' }).waitFor({ timeout: 5000 });
      await page.locator('#fault-seed', { hasText: /^\d+$/ }).waitFor({ timeout: 5000 });
      assert.equal(await dialog.isVisible(), false);
      // Asked once: a reload in the same tab does not ask again.
      await page.reload();
      await page.locator('#connection', { hasText: 'Live' }).waitFor({ timeout: 5000 });
      assert.equal(await dialog.isVisible(), false);
    } finally {
      await page.close();
    }
  });

  test('the stream and the exchanges need the token; a page of another site is refused', async () => {
    assert.equal((await fetch(`${emu.url}/_emulator/events`)).status, 401);
    assert.equal((await fetch(`${emu.url}/_emulator/exchanges/1`)).status, 401);
    const page = await fetch(`${emu.url}/_emulator/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const crossSite = await fetch(`${emu.url}/_emulator/`, {
      headers: { origin: 'http://evil.example' },
    });
    assert.equal(crossSite.status, 403);
    // fetch() cannot set Host: node:http can, as a rebinding page's browser would send it.
    const rebound = await new Promise<number>((resolve, reject) => {
      request(
        `${emu.url}/_emulator/events`,
        { headers: { authorization: `Bearer ${controlToken}`, host: 'evil.example' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end();
    });
    assert.equal(rebound, 403);
  });
});

describe('the fault control routes the page uses', () => {
  test('POST appends with ids, DELETE by id removes one; bad input and unknown ids are refused', async () => {
    const emu = await startEmulator({ memory: true, port: 0, log: false });
    try {
      const json = { 'content-type': 'application/json' };
      const faults = `${emu.url}/_emulator/faults`;
      const added = await fetch(faults, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ rules: ['GET /v1/a=503', 'GET /v1/b=500'] }),
      });
      assert.equal(added.status, 201);
      const { rules } = (await added.json()) as { rules: { id: number; path: string }[] };
      assert.deepEqual(
        rules.map(({ path }) => path),
        ['/v1/a', '/v1/b'],
      );
      const invalid = await fetch(faults, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ rules: ['GET /v1/c=299'] }),
      });
      assert.equal(invalid.status, 400);
      assert.equal((await fetch(`${faults}/${rules[0]?.id}`, { method: 'DELETE' })).status, 204);
      assert.equal((await fetch(`${faults}/${rules[0]?.id}`, { method: 'DELETE' })).status, 404);
      assert.equal((await fetch(`${faults}/first`, { method: 'DELETE' })).status, 400);
      const listed = (await (await fetch(faults)).json()) as { rules: { id: number }[] };
      assert.deepEqual(
        listed.rules.map(({ id }) => id),
        [rules[1]?.id],
      );
    } finally {
      await emu.close();
    }
  });
});

describe('the event stream', () => {
  test('streams each exchange, is ended when the emulator closes', async () => {
    const emu = await startEmulator({ memory: true, port: 0, log: false });
    // What every Server-Sent Events client sends.
    const res = await fetch(`${emu.url}/_emulator/events`, {
      headers: { accept: 'text/event-stream' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const token = await emu.token();
    await fetch(`${emu.url}/v1/customers/nope`, { headers: { authorization: `Bearer ${token}` } });
    while (!text.includes('event: exchange')) {
      const { value, done } = await reader.read();
      assert.equal(done, false);
      text += decoder.decode(value, { stream: true });
    }
    const data = /event: exchange\ndata: (.*)\n\n/.exec(text)?.[1] ?? '{}';
    const summary = JSON.parse(data) as { path: string; status: number; seq: number };
    assert.equal(summary.path, '/v1/customers/nope');
    assert.equal(summary.status, 404);
    const details = await fetch(`${emu.url}/_emulator/exchanges/${summary.seq}`);
    assert.equal(details.status, 200);
    const body = (await details.json()) as { requestHeaders: Record<string, string> };
    assert.equal(body.requestHeaders.authorization, 'Bearer [redacted]');

    await emu.close();
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
  });
});
