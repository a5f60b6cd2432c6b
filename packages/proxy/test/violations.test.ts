/**
 * Contract checks on live traffic: a plain Express app's error answers are reported as they
 * pass (method, path, status, rule), summed up on exit and listed in the JUnit file; the
 * command exits 1. SIGTERM stops the command as the stop signal does.
 */

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CheckedAnswer, proxyCli, type RunningProxy, startProxy } from '@apifault/proxy';
import { XMLParser } from 'fast-xml-parser';
import { type ExpressUpstream, send, startExpressUpstream } from './helpers/http.js';
import { tempDir } from './helpers/temp.js';

function collector() {
  const chunks: string[] = [];
  return { write: (text: string) => chunks.push(text), text: () => chunks.join('') };
}

describe('violations of a plain Express app', () => {
  let upstream: ExpressUpstream;
  before(async () => {
    upstream = await startExpressUpstream();
  });
  after(() => upstream.close());

  it('each violating answer is reported as it passes, with its rules; a conforming one is not', async () => {
    const seen: CheckedAnswer[] = [];
    const proxy: RunningProxy = await startProxy({
      upstream: upstream.url,
      port: 0,
      onViolation: (answer) => seen.push(answer),
    });
    try {
      await send(`${proxy.url}/missing`);
      assert.equal(seen.length, 1, 'reported before the next request');
      await send(`${proxy.url}/no-retry-after`);
      await send(`${proxy.url}/conforming-error`);
      await send(`${proxy.url}/hello`);
      assert.deepEqual(
        seen.map((a) => [a.method, a.target, a.status, a.violations.map((v) => v.rule).sort()]),
        [
          ['GET', '/missing', 404, ['body-json', 'content-type']],
          ['GET', '/no-retry-after', 429, ['retry-after']],
        ],
      );
      assert.deepEqual(proxy.violations.summary(), { checked: 3, errors: 3, warnings: 0 });
    } finally {
      await proxy.close();
    }
  });

  it('apifault proxy prints each violation, then the summary and the JUnit file on stop, and exits 1', async () => {
    const dir = tempDir('apifault-proxy-');
    const junit = join(dir, 'proxy.xml');
    const stdout = collector();
    const stderr = collector();
    const stop = new AbortController();
    let url = '';
    const run = proxyCli(['--upstream', upstream.url, '--port', '0', '--junit', junit], {
      stdout,
      stderr,
      stop: stop.signal,
      onListening: (proxy) => {
        url = proxy.url;
      },
    });
    while (url === '') await new Promise((resolve) => setTimeout(resolve, 10));
    await send(`${url}/missing`);
    await send(`${url}/conforming-error`);
    assert.match(stdout.text(), /violation: GET \/missing → 404 \[error content-type\]/);
    stop.abort();
    assert.equal(await run, 1);
    assert.equal(stderr.text(), '');
    assert.match(stdout.text(), /2 upstream error answers checked: 2 errors, 0 warnings\./);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      readFileSync(junit, 'utf8'),
    );
    const suite = xml.testsuites.testsuite;
    assert.equal(suite.tests, '2');
    assert.equal(suite.failures, '1');
    const cases = [suite.testcase].flat() as { name: string; failure?: unknown }[];
    assert.deepEqual(
      cases.map((c) => c.name),
      ['GET /missing → 404', 'GET /conforming-error → 409'],
    );
    const failures = [cases[0]?.failure].flat() as { type: string }[];
    assert.deepEqual(failures.map((f) => f.type).sort(), ['body-json', 'content-type']);
  });

  it('SIGTERM stops the command, which writes its report and exits 0 when nothing broke the contract', async () => {
    const stdout = collector();
    let listening = false;
    const run = proxyCli(['--upstream', upstream.url, '--port', '0'], {
      stdout,
      stderr: collector(),
      onListening: () => {
        listening = true;
      },
    });
    while (!listening) await new Promise((resolve) => setTimeout(resolve, 10));
    process.emit('SIGTERM');
    assert.equal(await run, 0);
    assert.match(stdout.text(), /0 upstream error answers checked/);
  });

  it('bad usage exits 2 with the usage text', async () => {
    const stderr = collector();
    assert.equal(await proxyCli(['--port', '0'], { stderr, stdout: collector() }), 2);
    assert.match(stderr.text(), /--upstream <url> is required/);
    assert.equal(
      await proxyCli(['--upstream', 'http://127.0.0.1:1', '--fault', 'commerce=timeout'], {
        stderr,
        stdout: collector(),
      }),
      2,
    );
    assert.match(stderr.text(), /unknown action "timeout"/);
    // A rule file is read as apifault start reads it: the message names the file.
    const file = join(tempDir('apifault-proxy-'), 'faults.json');
    writeFileSync(file, '{"rules": ["/v1/**=truncate", "/v1/x=999"]}');
    const upstreamArg = ['--upstream', 'http://127.0.0.1:1'];
    assert.equal(
      await proxyCli([...upstreamArg, '--faults', file], { stderr, stdout: collector() }),
      2,
    );
    assert.match(stderr.text(), /faults\.json: fault "\/v1\/x=999"/);
    assert.equal(
      await proxyCli([...upstreamArg, '--faults', `${file}.missing`], {
        stderr,
        stdout: collector(),
      }),
      2,
    );
    assert.match(stderr.text(), /cannot read .*faults\.json\.missing/);
  });
});
