/** Each rule every 4xx/5xx answer is held to, one scripted answer at a time. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkConformance, type Report } from '@apifault/conformance';
import { rows } from './helpers/report-rows.js';
import {
  contractAnswer,
  type ScriptRequest,
  type ScriptResponse,
  startScriptedServer,
} from './helpers/scripted-server.js';

/** Runs the unknown-path probe alone against a server answering `script`. */
async function probe(script: (request: ScriptRequest) => ScriptResponse): Promise<Report> {
  const server = await startScriptedServer(script);
  try {
    return await checkConformance({ baseUrl: server.baseUrl, probes: ['unknown-path'] });
  } finally {
    await server.close();
  }
}

const body = (fields: Record<string, unknown>) => ({
  code: '404',
  description: 'No route matches.',
  source: 'script',
  ...fields,
});

describe('answers held to the contract', () => {
  it('a contract answer passes with no finding', async () => {
    const report = await probe((req) => contractAnswer(req, 404));
    assert.deepEqual(report.findings, []);
    assert.equal(report.probes[0]!.outcome, 'pass');
  });

  it('application/json without charset is a warning, another charset an error', async () => {
    let report = await probe((req) =>
      contractAnswer(req, 404, { 'Content-Type': 'application/json' }),
    );
    assert.deepEqual(rows(report, 'warning'), [['unknown-path', 'content-type-charset']]);
    assert.equal(report.summary.errors, 0);
    report = await probe((req) =>
      contractAnswer(req, 404, { 'Content-Type': 'application/json; charset=iso-8859-1' }),
    );
    assert.deepEqual(rows(report, 'error'), [['unknown-path', 'content-type']]);
    assert.match(report.findings[0]!.message, /charset=iso-8859-1/);
  });

  it('problem+json is not the contract media type', async () => {
    const report = await probe((req) =>
      contractAnswer(req, 404, { 'Content-Type': 'application/problem+json' }),
    );
    assert.deepEqual(rows(report, 'error'), [['unknown-path', 'content-type']]);
  });

  it('each validateErrorBody violation is a finding of its own', async () => {
    let report = await probe((req) =>
      contractAnswer(req, 404, {}, { code: 3000, description: null, data: {} }),
    );
    assert.deepEqual(rows(report, 'error'), [
      ['unknown-path', 'body-type'],
      ['unknown-path', 'body-not-null'],
      ['unknown-path', 'body-type'],
      ['unknown-path', 'body-required'],
    ]);
    report = await probe((req) => contractAnswer(req, 404, {}, [body({})]));
    assert.deepEqual(rows(report, 'error'), [['unknown-path', 'body-type']]);
  });

  it('description: empty and over 1024 code points are errors, blank a warning', async () => {
    let report = await probe((req) => contractAnswer(req, 404, {}, body({ description: '' })));
    assert.deepEqual(rows(report, 'error'), [['unknown-path', 'body-non-empty']]);
    report = await probe((req) =>
      contractAnswer(req, 404, {}, body({ description: 'x'.repeat(1025) })),
    );
    assert.deepEqual(rows(report, 'error'), [['unknown-path', 'body-max-length']]);
    // 1024 astral characters are 2048 code units but only 1024 code points: valid.
    report = await probe((req) =>
      contractAnswer(req, 404, {}, body({ description: '😀'.repeat(1024) })),
    );
    assert.deepEqual(report.findings, []);
    report = await probe((req) => contractAnswer(req, 404, {}, body({ description: ' \t ' })));
    assert.deepEqual(rows(report, 'warning'), [['unknown-path', 'description-blank']]);
    assert.equal(report.summary.errors, 0);
  });

  it('bodies that are empty or not JSON, and stack traces', async () => {
    let report = await probe((req) => ({ ...contractAnswer(req, 404), body: '' }));
    assert.deepEqual(rows(report, 'error'), [['unknown-path', 'body-json']]);
    assert.match(report.findings[0]!.message, /empty/);
    report = await probe((req) =>
      contractAnswer(
        req,
        404,
        {},
        body({ data: ['Error: boom\n    at handler (/srv/app/routes.js:12:7)'] }),
      ),
    );
    assert.deepEqual(rows(report, 'error'), [['unknown-path', 'stack-trace']]);
  });

  it('401: WWW-Authenticate missing is an error, another scheme a warning', async () => {
    let report = await probe((req) => contractAnswer(req, 401));
    assert.deepEqual(rows(report, 'error'), [['unknown-path', 'www-authenticate']]);
    // Without a token a 401 cannot show whether the path is routed: inconclusive, not a failure.
    assert.equal(report.probes[0]!.outcome, 'fail');
    assert.match(report.probes[0]!.note ?? '', /answered 401/);
    report = await probe((req) =>
      contractAnswer(req, 401, { 'WWW-Authenticate': 'Bearer realm="api"' }),
    );
    assert.deepEqual(rows(report, 'warning'), [['unknown-path', 'www-authenticate-scheme']]);
    assert.equal(report.probes[0]!.outcome, 'inconclusive');
    report = await probe((req) =>
      contractAnswer(req, 401, { 'WWW-Authenticate': 'OAuth realm=urn:cpsvc:cpid:x' }),
    );
    assert.deepEqual(report.findings, []);
  });

  it('405 needs Allow', async () => {
    const report = await probe((req) => contractAnswer(req, 405));
    assert.deepEqual(rows(report, 'error'), [
      ['unknown-path', 'expected-status'],
      ['unknown-path', 'allow'],
    ]);
    assert.match(report.findings[0]!.message, /^Answers 405 where 404 is due/);
  });

  it('429 needs a valid Retry-After; a 503 only a valid one when present', async () => {
    let report = await probe((req) => contractAnswer(req, 429));
    assert.deepEqual(rows(report, 'error'), [['unknown-path', 'retry-after']]);
    report = await probe((req) => contractAnswer(req, 429, { 'Retry-After': 'soon' }));
    assert.deepEqual(rows(report, 'error'), [['unknown-path', 'retry-after-invalid']]);
    report = await probe((req) => contractAnswer(req, 429, { 'Retry-After': '57' }));
    assert.deepEqual(report.findings, []);
    report = await probe((req) => contractAnswer(req, 503));
    assert.deepEqual(report.findings, []);
    report = await probe((req) => contractAnswer(req, 503, { 'Retry-After': '-3' }));
    assert.deepEqual(rows(report, 'error'), [['unknown-path', 'retry-after-invalid']]);
    report = await probe((req) =>
      contractAnswer(req, 503, { 'Retry-After': 'Wed, 21 Oct 2099 07:28:00 GMT' }),
    );
    assert.deepEqual(report.findings, []);
  });

  it('MS-RequestId and MS-CorrelationId not echoed are warnings', async () => {
    let report = await probe((req) => {
      const answer = contractAnswer(req, 404);
      return { ...answer, headers: { 'Content-Type': 'application/json; charset=utf-8' } };
    });
    assert.deepEqual(rows(report, 'warning'), [
      ['unknown-path', 'request-id-echo'],
      ['unknown-path', 'correlation-id-echo'],
    ]);
    assert.equal(report.summary.errors, 0);
    report = await probe((req) => contractAnswer(req, 404, { 'MS-RequestId': 'other-id' }));
    assert.deepEqual(rows(report, 'warning'), [['unknown-path', 'request-id-echo']]);
    assert.match(report.findings[0]!.message, /comes back as `other-id`/);
  });

  it('a finding says what was sent, what came back, the rule and the fix', async () => {
    const report = await probe(() => ({
      status: 404,
      headers: { 'Content-Type': 'text/html' },
      body: '<h1>Not here</h1>',
    }));
    const finding = report.findings.find((f) => f.rule === 'content-type')!;
    assert.equal(finding.severity, 'error');
    assert.match(finding.sent, /^GET \/apifault-unknown-[0-9a-f]{8}$/);
    assert.equal(finding.received, '404, Content-Type: text/html, body "<h1>Not here</h1>"');
    assert.match(finding.fix, /application\/json; charset=utf-8/);
    assert.equal(report.probes[0]!.request.headers['Accept'], 'application/json');
  });

  it('the report redacts the token', async () => {
    const server = await startScriptedServer((req) => contractAnswer(req, 404));
    try {
      const report = await checkConformance({
        baseUrl: server.baseUrl,
        token: 'secret-token',
        probes: ['unknown-path'],
      });
      assert.equal(report.probes[0]!.request.headers['Authorization'], 'Bearer [redacted]');
      assert.equal(server.requests[0]!.headers.authorization, 'Bearer secret-token');
      assert.doesNotMatch(JSON.stringify(report), /secret-token/);
    } finally {
      await server.close();
    }
  });
});
