/**
 * Express 5, Fastify 5 and Hono 4 with their own error handling and no apifault: the report
 * names each violation they really have, row by row, and each row is checked against the
 * raw answer so it is a true violation.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { checkConformance, type Report } from '@apifault/conformance';
import { TOKEN } from './helpers/customers.js';
import {
  type RunningApp,
  startDefaultExpress,
  startDefaultFastify,
  startDefaultHono,
} from './helpers/default-apps.js';
import { answer, rows } from './helpers/report-rows.js';

const openapi = fileURLToPath(new URL('./fixtures/customers-openapi.json', import.meta.url));

async function check(start: () => Promise<RunningApp>): Promise<Report> {
  const app = await start();
  try {
    return await checkConformance({ baseUrl: app.baseUrl, token: TOKEN, openapi });
  } finally {
    await app.close();
  }
}

/** Every probe's answer lacks both id echoes (none of the three apps echoes them). */
function echoWarnings(probes: string[]): [string, string][] {
  return probes.flatMap((probe): [string, string][] => [
    [probe, 'request-id-echo'],
    [probe, 'correlation-id-echo'],
  ]);
}

describe('Express 5, default error handling', () => {
  it('reports HTML pages, the 404 due as 405, no 406, no WWW-Authenticate, a stack trace and no 412', async () => {
    const report = await check(startDefaultExpress);
    assert.deepEqual(rows(report, 'error'), [
      ['unknown-path', 'content-type'],
      ['unknown-path', 'body-json'],
      ['wrong-method', 'expected-status'],
      ['wrong-method', 'content-type'],
      ['wrong-method', 'body-json'],
      ['wrong-method', 'expected-status'],
      ['wrong-method', 'content-type'],
      ['wrong-method', 'body-json'],
      ['not-acceptable', 'expected-status'],
      ['no-credentials', 'content-type'],
      ['no-credentials', 'body-json'],
      ['no-credentials', 'www-authenticate'],
      ['garbage-token', 'content-type'],
      ['garbage-token', 'body-json'],
      ['garbage-token', 'www-authenticate'],
      ['malformed-json', 'content-type'],
      ['malformed-json', 'stack-trace'],
      ['malformed-json', 'body-json'],
      ['wrong-content-type', 'expected-status'],
      ['wrong-content-type', 'content-type'],
      ['wrong-content-type', 'stack-trace'],
      ['wrong-content-type', 'body-json'],
      ['stale-if-match', 'expected-status'],
    ]);
    assert.deepEqual(
      rows(report, 'warning'),
      echoWarnings([
        'unknown-path',
        'wrong-method',
        'wrong-method',
        'no-credentials',
        'garbage-token',
        'malformed-json',
        'wrong-content-type',
      ]),
    );
    // The evidence: finalhandler's HTML page, 404 for a method the path lacks, res.sendStatus's text.
    const unknown = answer(report, 'unknown-path');
    assert.equal(unknown.status, 404);
    assert.match(unknown.type ?? '', /^text\/html/);
    assert.match(unknown.body, /<pre>Cannot GET \/v1\/apifault-unknown-/);
    assert.equal(answer(report, 'wrong-method').status, 404);
    assert.match(answer(report, 'wrong-method').body, /Cannot PATCH \/v1\/customers/);
    assert.equal(answer(report, 'not-acceptable').status, 200);
    const noCredentials = answer(report, 'no-credentials');
    assert.deepEqual([noCredentials.status, noCredentials.body], [401, 'Unauthorized']);
    assert.equal(noCredentials.headers['www-authenticate'], undefined);
    const malformed = answer(report, 'malformed-json');
    assert.equal(malformed.status, 400);
    assert.match(malformed.body, /SyntaxError: Unterminated string in JSON/);
    assert.match(malformed.body, /at .*body-parser/);
    const wrongType = answer(report, 'wrong-content-type');
    assert.equal(wrongType.status, 500);
    assert.match(wrongType.body, /TypeError: Cannot destructure property/);
    assert.equal(answer(report, 'stale-if-match').status, 200);
    assert.equal(report.summary.errors, 23);
  });
});

describe('Fastify 5, default error handling', () => {
  it('reports its {statusCode, error, message} bodies, 404 where 405 is due, no 406, no WWW-Authenticate and no 412', async () => {
    const report = await check(startDefaultFastify);
    // One `body-required` row per missing member: code, description, source.
    const bodyRows = (probe: string, n = 3): [string, string][] =>
      Array.from({ length: n }, () => [probe, 'body-required']);
    assert.deepEqual(rows(report, 'error'), [
      ...bodyRows('unknown-path'),
      ['wrong-method', 'expected-status'],
      ...bodyRows('wrong-method'),
      ['wrong-method', 'expected-status'],
      ...bodyRows('wrong-method'),
      ['not-acceptable', 'expected-status'],
      ...bodyRows('no-credentials'),
      ['no-credentials', 'www-authenticate'],
      ...bodyRows('garbage-token'),
      ['garbage-token', 'www-authenticate'],
      // Fastify's body does carry a string `code` (FST_ERR_CTP_INVALID_JSON_BODY).
      ...bodyRows('malformed-json', 2),
      ['wrong-content-type', 'expected-status'],
      ['stale-if-match', 'expected-status'],
    ]);
    assert.deepEqual(
      report.findings.filter((f) => f.rule === 'body-required').map((f) => f.message.split('`')[1]),
      [...Array(5)]
        .flatMap(() => ['code', 'description', 'source'])
        .concat(['description', 'source']),
    );
    assert.deepEqual(
      rows(report, 'warning'),
      echoWarnings([
        'unknown-path',
        'wrong-method',
        'wrong-method',
        'no-credentials',
        'garbage-token',
        'malformed-json',
      ]),
    );
    const wrongMethod = answer(report, 'wrong-method');
    assert.equal(wrongMethod.status, 404);
    assert.deepEqual(JSON.parse(wrongMethod.body), {
      message: 'Route PATCH:/v1/customers not found',
      error: 'Not Found',
      statusCode: 404,
    });
    assert.equal(answer(report, 'no-credentials').headers['www-authenticate'], undefined);
    assert.equal(
      JSON.parse(answer(report, 'malformed-json').body).code,
      'FST_ERR_CTP_INVALID_JSON_BODY',
    );
    // text/plain has a default parser in Fastify: the write goes through.
    assert.equal(answer(report, 'wrong-content-type').status, 201);
    assert.equal(report.summary.errors, 24);
  });
});

describe('Hono 4, default error handling', () => {
  it('reports text/plain bodies, 404 where 405 is due, a 500 for malformed JSON and Bearer challenges', async (t) => {
    // Hono's default onError logs the SyntaxError; keep the test output clean.
    t.mock.method(console, 'error', () => undefined);
    const report = await check(startDefaultHono);
    assert.deepEqual(rows(report, 'error'), [
      ['unknown-path', 'content-type'],
      ['unknown-path', 'body-json'],
      ['wrong-method', 'expected-status'],
      ['wrong-method', 'content-type'],
      ['wrong-method', 'body-json'],
      ['wrong-method', 'expected-status'],
      ['wrong-method', 'content-type'],
      ['wrong-method', 'body-json'],
      ['not-acceptable', 'expected-status'],
      ['no-credentials', 'content-type'],
      ['no-credentials', 'body-json'],
      ['garbage-token', 'content-type'],
      ['garbage-token', 'body-json'],
      ['malformed-json', 'expected-status'],
      ['malformed-json', 'content-type'],
      ['malformed-json', 'body-json'],
      ['wrong-content-type', 'expected-status'],
      ['stale-if-match', 'expected-status'],
    ]);
    const echoes = echoWarnings(['unknown-path', 'wrong-method', 'wrong-method']);
    assert.deepEqual(rows(report, 'warning'), [
      ...echoes,
      ['no-credentials', 'www-authenticate-scheme'],
      ...echoWarnings(['no-credentials']),
      ['garbage-token', 'www-authenticate-scheme'],
      ...echoWarnings(['garbage-token', 'malformed-json']),
    ]);
    const unknown = answer(report, 'unknown-path');
    assert.deepEqual(
      [unknown.status, unknown.type, unknown.body],
      [404, 'text/plain; charset=UTF-8', '404 Not Found'],
    );
    assert.equal(answer(report, 'wrong-method').status, 404);
    assert.equal(answer(report, 'no-credentials').headers['www-authenticate'], 'Bearer realm=""');
    assert.equal(
      answer(report, 'garbage-token').headers['www-authenticate'],
      'Bearer error="invalid_token"',
    );
    const malformed = answer(report, 'malformed-json');
    assert.deepEqual([malformed.status, malformed.body], [500, 'Internal Server Error']);
    assert.equal(answer(report, 'wrong-content-type').status, 201);
    assert.equal(report.summary.errors, 18);
  });
});

describe('listed paths instead of a document', () => {
  it('probes the listed routes, finds the same faults and skips stale-if-match', async () => {
    const app = await startDefaultFastify();
    try {
      const report = await checkConformance({
        baseUrl: app.baseUrl,
        token: TOKEN,
        paths: ['GET,POST /v1/customers', 'GET,PATCH /v1/customers/{id}'],
      });
      assert.deepEqual(report.skipped, [
        { name: 'stale-if-match', reason: 'needs an OpenAPI document that declares If-Match.' },
      ]);
      assert.deepEqual(
        report.probes.map((p) => `${p.name} ${p.target} ${p.response.status}`).slice(1),
        [
          'wrong-method PATCH /v1/customers 404',
          'wrong-method PUT /v1/customers/{id} 404',
          'not-acceptable GET /v1/customers 200',
          'no-credentials GET /v1/customers 401',
          'garbage-token GET /v1/customers 401',
          'malformed-json POST /v1/customers 400',
          'wrong-content-type POST /v1/customers 201',
        ],
      );
      // The item path was filled with the id the collection lists.
      assert.match(report.probes[2]!.request.url, /\/v1\/customers\/c-1$/);
    } finally {
      await app.close();
    }
  });
});
