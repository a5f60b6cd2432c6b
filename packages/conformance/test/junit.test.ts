/** The JUnit output: valid XML, one testsuite, a testcase per probe, a failure per error finding. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkConformance, formatJunit, type Report } from '@apifault/conformance';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { TOKEN } from './helpers/customers.js';
import { startDefaultHono } from './helpers/default-apps.js';
import { startScriptedServer } from './helpers/scripted-server.js';

interface Case {
  '@_classname': string;
  '@_name': string;
  failure?: { '@_type': string; '@_message': string; '#text': string }[];
  skipped?: { '@_message': string }[];
  'system-out'?: string[];
}

function parse(xml: string) {
  const validation = XMLValidator.validate(xml);
  assert.equal(validation, true, JSON.stringify(validation));
  const parser = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => ['testsuite', 'testcase', 'failure', 'skipped', 'system-out'].includes(name),
  });
  const document = parser.parse(xml) as {
    testsuites: {
      testsuite: {
        '@_tests': string;
        '@_failures': string;
        '@_skipped': string;
        testcase: Case[];
      }[];
    };
  };
  return document.testsuites.testsuite;
}

describe('JUnit output', () => {
  it('has one testsuite, a testcase per probe and a failure per error finding', async (t) => {
    t.mock.method(console, 'error', () => undefined);
    const app = await startDefaultHono();
    let report: Report;
    try {
      report = await checkConformance({
        baseUrl: app.baseUrl,
        token: TOKEN,
        paths: ['GET,POST /v1/customers'],
      });
    } finally {
      await app.close();
    }
    const suites = parse(formatJunit(report));
    assert.equal(suites.length, 1);
    const [suite] = suites;
    const cases = suite!.testcase;
    assert.equal(cases.length, report.probes.length + report.skipped.length);
    assert.equal(Number(suite!['@_tests']), cases.length);
    assert.deepEqual(
      cases.map((c) => c['@_classname']),
      [
        'apifault.unknown-path',
        'apifault.wrong-method',
        'apifault.not-acceptable',
        'apifault.no-credentials',
        'apifault.garbage-token',
        'apifault.malformed-json',
        'apifault.wrong-content-type',
        'apifault.stale-if-match',
      ],
    );
    const failures = cases.flatMap((c) => c.failure ?? []);
    assert.equal(failures.length, report.summary.errors);
    assert.deepEqual(
      failures.map((f) => f['@_type']),
      report.probes.flatMap((p) =>
        p.findings.filter((f) => f.severity === 'error').map((f) => f.rule),
      ),
    );
    assert.equal(Number(suite!['@_failures']), cases.filter((c) => c.failure).length);
    const wrongMethod = cases[1]!;
    assert.equal(wrongMethod['@_name'], 'wrong-method PATCH /v1/customers');
    assert.equal(
      wrongMethod.failure![0]!['@_message'],
      'Answers 404 where 405 is due: /v1/customers exists and accepts GET, POST, not PATCH.',
    );
    assert.match(
      wrongMethod.failure![0]!['#text'],
      /^sent: PATCH \/v1\/customers\nreceived: 404, body "404 Not Found"\nfix: /,
    );
    // Warnings are reported as output, not failures; a probe that cannot run is skipped.
    assert.match(cases[3]!['system-out']![0]!, /warning www-authenticate-scheme/);
    assert.equal(
      cases[7]!.skipped![0]!['@_message'],
      'needs an OpenAPI document that declares If-Match.',
    );
    assert.equal(suite!['@_skipped'], '1');
  });

  it('escapes markup, quotes and characters XML cannot carry', async () => {
    const nasty = `<script>alert("x")</script> & 'q' ]]> \u0001\u001b[31m \uD800 end`;
    const server = await startScriptedServer(() => ({
      status: 404,
      headers: { 'Content-Type': 'text/html; x="<&>"' },
      body: nasty,
    }));
    let report: Report;
    try {
      report = await checkConformance({ baseUrl: server.baseUrl, probes: ['unknown-path'] });
    } finally {
      await server.close();
    }
    const xml = formatJunit(report);
    assert.doesNotMatch(xml, /<script>/);
    assert.doesNotMatch(xml, /[\u0001\u001b]/);
    const [suite] = parse(xml);
    const failures = suite!.testcase[0]!.failure!;
    const received = failures.find((f) => f['@_type'] === 'body-json')!['#text'];
    assert.match(received, /&lt;script&gt;alert\(&quot;x&quot;\)|<script>alert\(\\"x\\"\)/);
    assert.ok(failures.length >= 2);
  });
});
