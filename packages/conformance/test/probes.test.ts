/** The probes' own logic: Allow against the routes, burst bounds, no answer, unreachable targets, OpenAPI input. */

import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CheckOptionsError, checkConformance, TargetUnreachableError } from '@apifault/conformance';
import { startConformingServer } from './helpers/conforming-server.js';
import { TOKEN } from './helpers/customers.js';
import { rows } from './helpers/report-rows.js';
import {
  contractAnswer,
  type ScriptRequest,
  type ScriptResponse,
  startScriptedServer,
} from './helpers/scripted-server.js';

const fixture = fileURLToPath(new URL('./fixtures/customers-openapi.json', import.meta.url));

/** A document with one path accepting GET and POST. */
const itemsDocument = {
  openapi: '3.0.3',
  info: { title: 'items', version: '1' },
  paths: { '/items': { get: { responses: {} }, post: { responses: {} } } },
};

async function wrongMethod(
  allow: string,
  source: { openapi: Record<string, unknown> } | { paths: string[] },
  onGet: (req: ScriptRequest) => ScriptResponse = (req) => ({ ...contractAnswer(req, 200) }),
) {
  const server = await startScriptedServer((req) =>
    req.method === 'GET' ? onGet(req) : contractAnswer(req, 405, { Allow: allow }),
  );
  try {
    const report = await checkConformance({
      baseUrl: server.baseUrl,
      probes: ['wrong-method'],
      ...source,
    });
    return { report, requests: server.requests };
  } finally {
    await server.close();
  }
}

describe('wrong-method and Allow', () => {
  it('sends a method the document does not declare, and accepts an Allow that matches', async () => {
    const { report, requests } = await wrongMethod('GET, HEAD, POST, OPTIONS', {
      openapi: itemsDocument,
    });
    assert.deepEqual(report.findings, []);
    assert.deepEqual(
      requests.map((r) => `${r.method} ${r.path}`),
      ['PATCH /items'],
    );
  });

  it('an Allow that omits a declared method is an error', async () => {
    const { report } = await wrongMethod('GET', { openapi: itemsDocument });
    assert.deepEqual(rows(report, 'error'), [['wrong-method', 'allow-mismatch']]);
    assert.match(report.findings[0]!.message, /Allow omits POST/);
  });

  it('an Allow that lists the method it just refused is an error', async () => {
    const { report } = await wrongMethod('GET, POST, PATCH', { openapi: itemsDocument });
    assert.deepEqual(rows(report, 'error'), [['wrong-method', 'allow-mismatch']]);
    assert.match(report.findings[0]!.message, /lists PATCH, the very method just refused/);
  });

  it('an Allow listing a method the document lacks is a warning', async () => {
    const { report } = await wrongMethod('GET, POST, DELETE', { openapi: itemsDocument });
    assert.deepEqual(rows(report, 'warning'), [['wrong-method', 'allow-undocumented']]);
    assert.equal(report.summary.errors, 0);
  });

  it('without a document, a GET that Allow lists is tried and must not answer 405', async () => {
    const refused = await wrongMethod('GET, POST', { paths: ['POST /items'] }, (req) =>
      contractAnswer(req, 405, { Allow: 'POST' }),
    );
    assert.deepEqual(
      refused.requests.map((r) => `${r.method} ${r.path}`),
      ['PATCH /items', 'GET /items'],
    );
    assert.deepEqual(rows(refused.report, 'error'), [['wrong-method', 'allow-mismatch']]);
    assert.match(
      refused.report.findings[0]!.message,
      /Allow lists GET, but GET \/items answers 405/,
    );
    assert.equal(refused.report.probes.length, 2);

    const served = await wrongMethod('GET, POST', { paths: ['POST /items'] });
    assert.deepEqual(served.report.findings, []);
    assert.equal(
      served.report.probes[1]!.note,
      'sent because Allow lists GET: it must not answer 405.',
    );
  });

  it('picks the method by the order PATCH, PUT, POST, DELETE, GET', async () => {
    const { requests } = await wrongMethod('GET, PATCH, PUT', {
      paths: ['GET,PATCH,PUT /items'],
    });
    assert.equal(requests[0]!.method, 'POST');
  });
});

describe('bounds and failures', () => {
  it('burst stops at the first 429 and holds it to the contract', async () => {
    const app = await startConformingServer({ rateLimit: 25 });
    try {
      const report = await checkConformance({
        baseUrl: app.baseUrl,
        token: TOKEN,
        paths: ['/v1/customers'],
        probes: ['burst'],
      });
      const [burst] = report.probes;
      assert.equal(burst!.response.status, 429);
      assert.equal(burst!.response.headers['retry-after'], '30');
      assert.equal(burst!.outcome, 'pass');
      assert.deepEqual(report.findings, []);
    } finally {
      await app.close();
    }
  });

  it('burst is bounded in requests, and no 429 is not a violation', async () => {
    const server = await startScriptedServer((req) => contractAnswer(req, 200));
    try {
      const report = await checkConformance({
        baseUrl: server.baseUrl,
        paths: ['/items'],
        burst: { requests: 30, concurrency: 4 },
        probes: ['burst'],
      });
      assert.equal(server.requests.length, 30);
      assert.equal(report.probes[0]!.outcome, 'inconclusive');
      assert.match(report.probes[0]!.note ?? '', /no 429 within 30 requests/);
      assert.equal(report.summary.errors, 0);
    } finally {
      await server.close();
    }
  });

  // The test's own timeout is what fails if in-flight requests outlive the burst (60 s each).
  it('burst is bounded in time: requests in flight end at its deadline', {
    timeout: 5_000,
  }, async () => {
    const server = createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const report = await checkConformance({
        baseUrl: `http://127.0.0.1:${port}`,
        paths: ['/items'],
        burst: { durationMs: 300, concurrency: 2 },
        timeoutMs: 60_000,
        probes: ['unknown-path', 'burst'],
        // The run must reach the target once: the unknown path is answered here, the burst's GETs never.
        fetch: (url, init) =>
          url.includes('apifault-unknown')
            ? Promise.resolve(new Response('', { status: 404 }))
            : fetch(url, init),
      });
      const burst = report.probes.find((p) => p.name === 'burst')!;
      assert.deepEqual(burst.findings, []);
      assert.equal(burst.outcome, 'inconclusive');
      assert.equal(burst.note, "no answer within the burst's 300 ms.");
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a 429 without Retry-After in a burst is an error', async () => {
    let count = 0;
    const server = await startScriptedServer((req) =>
      ++count > 5 ? contractAnswer(req, 429) : contractAnswer(req, 200),
    );
    try {
      const report = await checkConformance({
        baseUrl: server.baseUrl,
        paths: ['/items'],
        probes: ['burst'],
      });
      assert.deepEqual(rows(report, 'error'), [['burst', 'retry-after']]);
      assert.ok(server.requests.length <= 5 + 8, 'stops once the 429 is seen');
    } finally {
      await server.close();
    }
  });

  it('burst stops at another error answer and only holds it to the contract', async () => {
    let count = 0;
    const server = await startScriptedServer((req) =>
      ++count > 3 ? contractAnswer(req, 500) : contractAnswer(req, 200),
    );
    try {
      const report = await checkConformance({
        baseUrl: server.baseUrl,
        paths: ['/items'],
        probes: ['burst'],
      });
      const [burst] = report.probes;
      assert.equal(burst!.response.status, 500);
      assert.equal(burst!.outcome, 'inconclusive');
      assert.equal(burst!.note, 'answered 500 before any 429: the burst stopped there.');
      assert.deepEqual(report.findings, []);
      assert.ok(server.requests.length <= 3 + 8, 'stops once the error is seen');
    } finally {
      await server.close();
    }
  });

  it('burst runs only when asked for', async () => {
    const server = await startScriptedServer((req) => contractAnswer(req, 404));
    try {
      const report = await checkConformance({ baseUrl: server.baseUrl, paths: ['/items'] });
      assert.ok(!report.probes.some((p) => p.name === 'burst'));
      assert.ok(!report.skipped.some((p) => p.name === 'burst'));
    } finally {
      await server.close();
    }
  });

  it('a connection closed without an answer is a no-response finding', async () => {
    const server = createServer((req, res) => {
      if (req.headers.accept === 'application/xml') {
        req.socket.destroy();
        return;
      }
      res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const report = await checkConformance({
        baseUrl: `http://127.0.0.1:${port}`,
        paths: ['/items'],
        probes: ['unknown-path', 'not-acceptable'],
      });
      const finding = report.findings.find((f) => f.probe === 'not-acceptable');
      assert.equal(finding?.rule, 'no-response');
      assert.equal(report.probes[1]!.response.status, 0);
      assert.match(finding!.received, /^no answer/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('an answer slower than timeoutMs is a no-response finding', async () => {
    const server = createServer((req, res) => {
      if (req.headers.accept === 'application/xml') return; // never answers
      res.writeHead(200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const report = await checkConformance({
        baseUrl: `http://127.0.0.1:${port}`,
        paths: ['/items'],
        probes: ['unknown-path', 'not-acceptable'],
        timeoutMs: 300,
      });
      const finding = report.findings.find((f) => f.probe === 'not-acceptable');
      assert.equal(finding?.rule, 'no-response');
      assert.match(finding!.message, /timed out/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a target that never answers is unreachable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    await assert.rejects(
      checkConformance({ baseUrl: `http://127.0.0.1:${port}`, paths: ['/items'] }),
      (error: unknown) =>
        error instanceof TargetUnreachableError &&
        error.reason === 'ECONNREFUSED' &&
        error.target === `http://127.0.0.1:${port}`,
    );
  });
});

describe('options and the OpenAPI document', () => {
  it('reads the document from a URL', async () => {
    const { readFile } = await import('node:fs/promises');
    const app = await startConformingServer({}, await readFile(fixture, 'utf8'));
    try {
      const report = await checkConformance({
        baseUrl: app.baseUrl,
        token: TOKEN,
        openapi: `${app.baseUrl}/openapi.json`,
        probes: ['stale-if-match', 'no-credentials'],
      });
      assert.deepEqual(
        report.probes.map((p) => [p.name, p.target, p.response.status]),
        [
          ['no-credentials', 'GET /v1/customers', 401],
          ['stale-if-match', 'PATCH /v1/customers/{customerId}', 412],
        ],
      );
      assert.deepEqual(report.findings, []);
    } finally {
      await app.close();
    }
  });

  it('refuses YAML, missing files, bad URLs and unknown probes with CheckOptionsError', async () => {
    const yaml = join(tmpdir(), `apifault-conformance-${process.pid}.yaml`);
    await writeFile(yaml, 'openapi: 3.1.0\npaths: {}\n');
    const cases: Parameters<typeof checkConformance>[0][] = [
      { baseUrl: 'http://127.0.0.1:1', openapi: yaml },
      { baseUrl: 'http://127.0.0.1:1', openapi: join(tmpdir(), 'no-such-apifault.json') },
      { baseUrl: 'ftp://example.com' },
      { baseUrl: 'not a url' },
      { baseUrl: 'http://127.0.0.1:1', openapi: { openapi: '3.1.0' } },
      { baseUrl: 'http://127.0.0.1:1', paths: ['GET'] },
      // @ts-expect-error: an unknown probe name, as JavaScript callers may pass
      { baseUrl: 'http://127.0.0.1:1', probes: ['teapot'] },
    ];
    try {
      for (const options of cases) {
        await assert.rejects(checkConformance(options), CheckOptionsError);
      }
    } finally {
      await rm(yaml, { force: true });
    }
  });

  it('skips credential probes when the document declares no required security', async () => {
    const server = await startScriptedServer((req) => contractAnswer(req, 404));
    try {
      const report = await checkConformance({
        baseUrl: server.baseUrl,
        openapi: { ...itemsDocument, security: [{}, { bearer: [] }] },
        probes: ['no-credentials', 'garbage-token', 'stale-if-match'],
      });
      assert.deepEqual(
        report.skipped.map((s) => s.name),
        ['no-credentials', 'garbage-token', 'stale-if-match'],
      );
      assert.equal(server.requests.length, 0);
    } finally {
      await server.close();
    }
  });

  it('leaves out operations documented with errors only, and reads a 412 response as If-Match support', async () => {
    const server = await startScriptedServer((req) =>
      contractAnswer(req, req.method === 'PUT' ? 412 : 405, { Allow: 'GET, PUT' }),
    );
    try {
      const report = await checkConformance({
        baseUrl: server.baseUrl,
        openapi: {
          openapi: '3.1.0',
          paths: {
            '/things': { get: { responses: { '501': { description: 'Not modelled.' } } } },
            '/widgets/{id}': {
              get: { responses: { '2XX': { description: 'The widget.' } } },
              put: {
                responses: { '200': { description: 'Done.' }, '412': { description: 'Stale.' } },
              },
            },
          },
        },
        probes: ['wrong-method', 'stale-if-match'],
      });
      assert.deepEqual(
        report.probes.map((p) => [p.name, p.target, p.response.status]),
        [
          ['wrong-method', 'PATCH /widgets/{id}', 405],
          ['stale-if-match', 'PUT /widgets/{id}', 412],
        ],
      );
      assert.ok(!server.requests.some((r) => r.path.startsWith('/things')));
    } finally {
      await server.close();
    }
  });
});
