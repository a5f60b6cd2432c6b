/** The emulator against every probe: zero violations, its 429 included. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCli, checkConformance, type Report } from '@apifault/conformance';
import { startEmulator } from '@apifault/emulator';
import { captureIo } from './helpers/capture.js';

describe('the emulator', () => {
  it('passes every probe its OpenAPI document allows, with no finding', async () => {
    const emu = await startEmulator({ memory: true, port: 0, log: false });
    try {
      const token = await emu.token();
      const report = await checkConformance({
        baseUrl: emu.url,
        token,
        openapi: `${emu.url}/openapi.json`,
      });
      assert.deepEqual(report.findings, []);
      assert.deepEqual(report.skipped, []);
      assert.ok(report.probes.every((p) => p.outcome === 'pass'));
      assert.deepEqual(
        [...new Set(report.probes.map((p) => `${p.name} ${p.response.status}`))],
        [
          'unknown-path 404',
          'wrong-method 405',
          'not-acceptable 406',
          'no-credentials 401',
          'garbage-token 401',
          'malformed-json 400',
          'wrong-content-type 400',
          'stale-if-match 412',
        ],
      );
      // The stale If-Match went to a real subscription, found through the collections.
      const stale = report.probes.find((p) => p.name === 'stale-if-match')!;
      assert.doesNotMatch(stale.request.url, /00000000-0000-4000-8000-000000000000/);
      assert.equal(stale.request.headers['If-Match'], '"apifault-stale-etag"');

      const { io, stdout } = captureIo();
      const code = await checkCli(
        [
          emu.url,
          '--token',
          token,
          '--openapi',
          `${emu.url}/openapi.json`,
          '--only',
          'wrong-method',
        ],
        io,
      );
      assert.equal(code, 0, stdout.text);
    } finally {
      await emu.close();
    }
  });

  it('a wrong token fails the check with exit 2: the probes refused with 401 are counted inconclusive, never "conforms"', async () => {
    const emu = await startEmulator({ memory: true, port: 0, log: false });
    try {
      const args = [emu.url, '--token', 'wrong', '--openapi', `${emu.url}/openapi.json`];
      const table = captureIo();
      const code = await checkCli(args, table.io);
      assert.equal(code, 2, table.stdout.text);
      assert.doesNotMatch(table.stdout.text, /conforms,/);
      assert.match(table.stderr.text, /\d+ of \d+ requests were refused with 401 or 403/);
      assert.match(table.stdout.text, /not checked \(the token was refused\)/);
      assert.match(table.stderr.text, /the token is expired or wrong/);
      const inconclusive = Number(/(\d+) inconclusive/.exec(table.stdout.text)?.[1]);
      assert.ok(inconclusive > 0, table.stdout.text);

      const json = captureIo();
      assert.equal(await checkCli([...args, '--format', 'json'], json.io), code);
      const report = JSON.parse(json.stdout.text) as Report;
      assert.equal(report.summary.inconclusive, inconclusive);
      assert.equal(report.summary.refusedByAuthentication, true);
      assert.ok(report.summary.refused > 0 && report.summary.refused <= inconclusive);
      assert.equal(
        report.summary.inconclusive,
        report.probes.filter((p) => p.outcome === 'inconclusive').length,
      );

      const junit = captureIo();
      assert.equal(await checkCli([...args, '--format', 'junit'], junit.io), code);
      assert.match(junit.stdout.text, new RegExp(`name="inconclusive" value="${inconclusive}"`));
    } finally {
      await emu.close();
    }
  });

  it('answers a burst with 429 and a valid Retry-After', async () => {
    const emu = await startEmulator({
      memory: true,
      port: 0,
      log: false,
      rateLimit: { limit: 30, windowSeconds: 60 },
      // The contract's 429; by default the emulator sends Partner Center's, which is outside it.
      wire: 'contract',
    });
    try {
      const report = await checkConformance({
        baseUrl: emu.url,
        token: await emu.token(),
        paths: ['/v1/customers'],
        probes: ['burst'],
      });
      const [burst] = report.probes;
      assert.equal(burst!.response.status, 429);
      assert.match(burst!.response.headers['retry-after'] ?? '', /^\d+$/);
      assert.deepEqual(report.findings, []);
    } finally {
      await emu.close();
    }
  });
});
