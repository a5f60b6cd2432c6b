/** `apifault check` through checkCli: exit codes, formats, colour, progress (the command itself: packages/cli). */

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkCli, type Report } from '@apifault/conformance';
import { captureIo } from './helpers/capture.js';
import { startConformingServer } from './helpers/conforming-server.js';
import { TOKEN } from './helpers/customers.js';
import { type RunningApp, startDefaultHono } from './helpers/default-apps.js';

const openapi = fileURLToPath(new URL('./fixtures/customers-openapi.json', import.meta.url));
const ANSI = /\x1b\[/;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('apifault check', () => {
  let good: RunningApp;
  let bad: RunningApp;
  before(async () => {
    good = await startConformingServer();
    bad = await startDefaultHono();
  });
  after(async () => {
    await good.close();
    await bad.close();
  });

  it('exits 0 on a conforming API and prints the table', async () => {
    const { io, stdout, stderr } = captureIo();
    const code = await checkCli([good.baseUrl, '--token', TOKEN, '--openapi', openapi], io);
    assert.equal(code, 0);
    assert.equal(stderr.text, '');
    const lines = stdout.text.split('\n');
    assert.equal(lines[0], `apifault check ${good.baseUrl}`);
    const header = lines[2]!;
    const row = lines[3]!;
    assert.match(header, /^PROBE +REQUEST +STATUS +RESULT$/);
    assert.match(row, /^unknown-path +GET \/v1\/apifault-unknown-[0-9a-f]{8} +404 +✓ conforms$/);
    // Aligned: each cell starts under its heading.
    assert.equal(row.indexOf('GET '), header.indexOf('REQUEST'));
    assert.equal(row.indexOf('404'), header.indexOf('STATUS'));
    assert.equal(row.indexOf('✓'), header.indexOf('RESULT'));
    assert.match(stdout.text, /✓ conforms, 0 warnings · 9 requests, 0 skipped/);
    assert.doesNotMatch(stdout.text, ANSI);
  });

  it('exits 1 on violations and lists them with sent, received and fix', async () => {
    const { io, stdout } = captureIo();
    const code = await checkCli(
      [bad.baseUrl, '--token', TOKEN, '--path', 'GET,POST /v1/customers', '--only', 'unknown-path'],
      io,
    );
    assert.equal(code, 1);
    const text = stdout.text;
    const lines = text.split('\n');
    const header = lines.find((line) => line.startsWith('SEVERITY'))!;
    assert.match(header, /^SEVERITY +PROBE +RULE +FINDING$/);
    const row = lines.find((line) => line.includes(' content-type '))!;
    assert.match(
      row,
      /^error +unknown-path +content-type +The error answer is text\/plain; the contract serves errors as application\/json\.$/,
    );
    assert.equal(row.indexOf('unknown-path'), header.indexOf('PROBE'));
    assert.equal(row.indexOf('content-type'), header.indexOf('RULE'));
    assert.equal(row.indexOf('The error'), header.indexOf('FINDING'));
    const received = lines[lines.indexOf(row) + 2]!;
    assert.equal(
      received,
      `${' '.repeat(header.indexOf('FINDING'))}received: 404, Content-Type: text/plain; charset=UTF-8, body "404 Not Found"`,
    );
    assert.match(text, /✗ 2 errors, 2 warnings · 1 request, 0 skipped/);
  });

  it('exits 2 without a token when every probe needing one was refused with 401', async () => {
    const app = await startConformingServer();
    const { io, stdout, stderr } = captureIo();
    // The conforming server echoes ids; a listed path without a token skips the credential probes.
    const code = await checkCli([app.baseUrl, '--only', 'unknown-path', '--path', '/v1/x'], io);
    await app.close();
    assert.equal(code, 2);
    assert.match(stdout.text, /unknown-path .* 401 .* \? answered 401/);
    assert.match(
      stdout.text,
      /✗ not checked \(the token was refused\), .* 0 skipped, 1 inconclusive/,
    );
    assert.match(stderr.text, /no token was given: the token is missing/);
  });

  it('exits 2 when the target cannot be reached', async () => {
    const port = await closedPort();
    const { io, stdout, stderr } = captureIo();
    const code = await checkCli([`http://127.0.0.1:${port}`, '--path', '/v1/x'], io);
    assert.equal(code, 2);
    assert.equal(stdout.text, '');
    assert.equal(
      stderr.text,
      `apifault check: http://127.0.0.1:${port} cannot be reached: ECONNREFUSED.\n`,
    );
  });

  it('exits 2 when the OpenAPI document cannot be fetched', async () => {
    const port = await closedPort();
    const { io, stderr } = captureIo();
    const url = `http://127.0.0.1:${port}/openapi.json`;
    assert.equal(await checkCli([`http://127.0.0.1:${port}`, '--openapi', url], io), 2);
    assert.equal(
      stderr.text,
      `apifault check: The OpenAPI document ${url} cannot be read: ECONNREFUSED.\n`,
    );
  });

  it('exits 2 on bad usage, with the usage text', async () => {
    for (const argv of [
      [],
      ['http://a', 'http://b'],
      ['http://127.0.0.1:1', '--format', 'xml'],
      ['http://127.0.0.1:1', '--only', 'teapot'],
      ['http://127.0.0.1:1', '--timeout', 'soon'],
      ['http://127.0.0.1:1', '--frobnicate'],
    ]) {
      const { io, stderr } = captureIo();
      assert.equal(await checkCli(argv, io), 2, argv.join(' '));
      assert.match(stderr.text, /Usage: apifault check <baseUrl>/);
    }
  });

  it('--help prints the usage and exits 0', async () => {
    const { io, stdout } = captureIo();
    assert.equal(await checkCli(['--help'], io), 0);
    assert.match(
      stdout.text,
      /--only <p>\[,<p>\] +run only these probes: unknown-path, wrong-method/,
    );
  });

  it('--format json prints the report; --only selects probes; APIFAULT_TOKEN is the token', async () => {
    const { io, stdout } = captureIo({ env: { APIFAULT_TOKEN: TOKEN } });
    const code = await checkCli(
      [
        good.baseUrl,
        '--openapi',
        openapi,
        '--format',
        'json',
        '--only',
        'not-acceptable,garbage-token',
      ],
      io,
    );
    assert.equal(code, 0);
    const report = JSON.parse(stdout.text) as Report;
    assert.deepEqual(
      report.probes.map((p) => [p.name, p.response.status]),
      [
        ['not-acceptable', 406],
        ['garbage-token', 401],
      ],
    );
    assert.equal(report.probes[0]!.request.headers['Authorization'], 'Bearer [redacted]');
    assert.deepEqual(report.summary, {
      errors: 0,
      warnings: 0,
      probes: 2,
      skipped: 0,
      inconclusive: 0,
      refused: 0,
      refusedByAuthentication: false,
    });
  });

  it('colours the table and shows progress in a terminal, not with NO_COLOR', async () => {
    const tty = captureIo({ tty: true });
    await checkCli([bad.baseUrl, '--token', TOKEN, '--path', '/v1/customers'], tty.io);
    assert.match(tty.stdout.text, ANSI);
    assert.match(tty.stdout.text, /\x1b\[31merror/);
    assert.match(tty.stderr.text, /\r\x1b\[K\[1\/\d+\] unknown-path GET \/v1\/apifault-unknown-/);
    assert.ok(tty.stderr.text.endsWith('\r\x1b[K'), 'the progress line is cleared');

    const noColor = captureIo({ tty: true, env: { NO_COLOR: '1' } });
    await checkCli([bad.baseUrl, '--token', TOKEN, '--path', '/v1/customers'], noColor.io);
    assert.doesNotMatch(noColor.stdout.text, ANSI);

    const piped = captureIo({ tty: false });
    await checkCli([bad.baseUrl, '--token', TOKEN, '--path', '/v1/customers'], piped.io);
    assert.equal(piped.stderr.text, '');
  });
});
