import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { createClient, isApiResponseError } from '@apifault/client';
import { normalizeErrorResponse } from '@apifault/contract';
import { reply, scriptedServer } from './helpers/scripted-server.js';

interface Sample {
  status: number | null;
  headers: Record<string, string>;
  body_text: string;
  kind: string;
  source_file: string;
}

// The documented samples, kept in the repository as fixtures (see fixtures/partner-center).
const samplesUrl = new URL(
  '../../../fixtures/partner-center/partner-center-error-samples.json',
  import.meta.url,
);
const samples = JSON.parse(await readFile(samplesUrl, 'utf8')) as Sample[];

// Framing headers are recomputed by the server; the docs' values would not match the bytes.
const FRAMING = new Set(['content-length', 'connection', 'transfer-encoding', 'keep-alive']);

function served(sample: Sample): { status: number; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(sample.headers)) {
    if (!FRAMING.has(name.toLowerCase())) headers[name] = value;
  }
  // Documented bodies without a status line are served as 400s.
  return { status: sample.status ?? 400, headers };
}

test('the 30 documented samples are all there', () => {
  assert.equal(samples.length, 30);
});

test('every documented sample, served with its status and headers, becomes what the contract says', async (t) => {
  const server = await scriptedServer((req) => {
    const sample = samples[Number(req.url.split('/').pop())]!;
    const { status, headers } = served(sample);
    return reply(status, sample.body_text, headers);
  });
  t.after(() => server.close());
  const client = createClient({ baseUrl: server.url, retry: { attempts: 1 } });
  let errors = 0;
  for (const [index, sample] of samples.entries()) {
    const label = `sample ${index} (${sample.kind}, ${sample.source_file})`;
    const { status, headers } = served(sample);
    const outcome = await client.get(`/samples/${index}`).then(
      (response) => ({ response }),
      (error: unknown) => ({ error }),
    );
    if (status >= 200 && status < 300) {
      assert.ok('response' in outcome, label);
      assert.equal(outcome.response.status, status, label);
      let expected: unknown = sample.body_text === '' ? undefined : sample.body_text;
      try {
        expected = JSON.parse(sample.body_text);
      } catch {}
      assert.deepEqual(outcome.response.data, expected, label);
      continue;
    }
    errors++;
    assert.ok('error' in outcome && isApiResponseError(outcome.error), label);
    const error = outcome.error;
    const normalized = normalizeErrorResponse({
      status,
      headers: error.headers,
      bodyText: sample.body_text,
    });
    assert.equal(error.status, status, label);
    assert.equal(error.code, normalized.body.code, label);
    assert.equal(error.description, normalized.body.description, label);
    assert.deepEqual(error.data, normalized.body.data, label);
    assert.equal(error.source, normalized.body.source, label);
    assert.deepEqual(error.deviations, normalized.deviations, label);
    assert.equal(error.bodyText, sample.body_text, label);
    assert.equal(typeof error.code, 'string', label);
    assert.ok(error.description.length > 0, label);
    const sentId = headers['MS-RequestId'];
    if (sentId !== undefined) assert.equal(error.requestId, sentId, label);
    if (headers['Retry-After'] !== undefined) {
      assert.equal(error.retryAfterMs, Number(headers['Retry-After']) * 1000, label);
    }
    assert.ok(!error.message.includes('\n'), label);
  }
  assert.equal(errors, 30 - samples.filter((s) => s.status !== null && s.status < 300).length);
});
