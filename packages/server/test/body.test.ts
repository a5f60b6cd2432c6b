/** The JSON body rules and the Fetch reader (the Node reader runs in the case table and node tests). */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isApiError } from '@apifault/contract';
import {
  isJsonContentType,
  parseJsonBody,
  readJsonRequest,
  validationError,
} from '../src/body/index.js';

function statusOf(error: unknown): number | undefined {
  return isApiError(error) ? error.status : undefined;
}

test('JSON content types: application/json and +json, parameters allowed', () => {
  for (const ct of [
    'application/json',
    'Application/JSON; charset=utf-8',
    'application/merge-patch+json',
  ]) {
    assert.equal(isJsonContentType(ct), true, ct);
  }
  for (const ct of [
    undefined,
    '',
    'text/json',
    'application/jsonx',
    'text/plain',
    'application/xml',
  ]) {
    assert.equal(isJsonContentType(ct), false, String(ct));
  }
});

test('parseJsonBody: empty and malformed are 400s; 100 000 levels do not overflow', () => {
  assert.throws(
    () => parseJsonBody('  '),
    (e) => statusOf(e) === 400,
  );
  assert.throws(
    () => parseJsonBody('{"a":}'),
    (e) => statusOf(e) === 400,
  );
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  assert.ok(Array.isArray(parseJsonBody(deep)));
});

function streamed(parts: string[], delayMs = 0): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const next = parts.shift();
      if (next === undefined) {
        controller.close();
        return;
      }
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      controller.enqueue(encoder.encode(next));
    },
  });
}

function request(
  body: ReadableStream<Uint8Array> | string | null,
  headers: Record<string, string>,
) {
  return new Request('http://x/', {
    method: 'POST',
    body,
    headers,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}

test('readJsonRequest: parses, checks the type, enforces the limit while streaming and the timeout', async () => {
  const json = { 'content-type': 'application/json' };
  assert.deepEqual(await readJsonRequest(request('{"a":1}', json)), { a: 1 });
  assert.equal(await readJsonRequest(request(null, {})), undefined);
  await assert.rejects(
    readJsonRequest(request('a=1', { 'content-type': 'text/plain' })),
    (e) => statusOf(e) === 400,
  );
  await assert.rejects(
    readJsonRequest(request(streamed(['"', 'a'.repeat(600), 'a'.repeat(600), '"']), json), {
      limit: 1000,
    }),
    (e) => statusOf(e) === 413,
  );
  await assert.rejects(
    readJsonRequest(request(streamed(['{', '"a"', ':1}'], 100), json), { timeoutMs: 50 }),
    (e) => statusOf(e) === 408,
  );
  await assert.rejects(
    readJsonRequest(request('{}', { ...json, 'content-length': '5000' }), { limit: 100 }),
    (e) => statusOf(e) === 413,
  );
});

test('validationError: 400 with one data entry per field', () => {
  const error = validationError([
    { field: '/quantity', message: 'must be at least 1' },
    { field: '/offerId', message: 'is required' },
  ]);
  assert.equal(error.status, 400);
  assert.equal(error.description, 'The request is not valid: 2 fields failed validation.');
  assert.deepEqual(error.toBody().data, [
    { field: '/quantity', message: 'must be at least 1' },
    { field: '/offerId', message: 'is required' },
  ]);
});
