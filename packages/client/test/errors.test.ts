import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import {
  ApiResponseError,
  createClient,
  isApiResponseError,
  isNetworkError,
  isTimeoutError,
  NetworkError,
  TimeoutError,
} from '@apifault/client';
import { reply, scriptedServer } from './helpers/scripted-server.js';

const SECRET = 'eyJ0eXAiOiJKV1QiLCJhbGciOi.secret-token';

async function failedRequest(): Promise<ApiResponseError> {
  const server = await scriptedServer([
    reply(
      404,
      { code: 3000, description: 'Customer x was\nnot found.', data: [], source: 'PartnerFD' },
      { 'ms-requestid': '1234-abcd', 'ms-correlationid': 'corr-9', 'ms-cv': 'cv.0' },
    ),
  ]);
  try {
    const client = createClient({ baseUrl: server.url, credential: () => SECRET });
    const error = await client.get('/v1/customers/x').catch((e: unknown) => e);
    assert.ok(error instanceof ApiResponseError);
    return error;
  } finally {
    await server.close();
  }
}

test('the message is one useful line: status, code, description, request id', async () => {
  const error = await failedRequest();
  assert.equal(error.message, '404 3000: Customer x was not found. (request 1234-abcd)');
  assert.equal(error.name, 'ApiResponseError');
  assert.equal(error.code, '3000');
  assert.equal(error.description, 'Customer x was\nnot found.');
  assert.equal(error.source, 'PartnerFD');
  assert.deepEqual(error.data, []);
  assert.equal(error.category, 'NotFound');
  assert.equal(error.requestId, '1234-abcd');
  assert.equal(error.correlationId, 'corr-9');
  assert.equal(error.cv, 'cv.0');
  assert.equal(error.headers['ms-cv'], 'cv.0');
  assert.equal(error.retryAfterMs, undefined);
  assert.equal(error.request.method, 'GET');
  assert.match(error.request.requestId, /^[0-9a-f-]{36}$/);
});

test('toJSON and inspect never show the token', async () => {
  const error = await failedRequest();
  const json = JSON.stringify(error);
  assert.ok(!json.includes(SECRET), json);
  assert.ok(!inspect(error, { depth: 10 }).includes(SECRET));
  const parsed = JSON.parse(json) as { request: { headers: Record<string, string> }; code: string };
  assert.equal(parsed.request.headers.authorization, '[redacted]');
  assert.equal(parsed.code, '3000');
});

test('guards recognise errors from another copy of the package', async () => {
  // A second copy of the error classes, as two installed versions of the package would be.
  const dir = await mkdtemp(join(tmpdir(), 'apifault-client-copy-'));
  await cp(fileURLToPath(new URL('../src/errors/', import.meta.url)), dir, { recursive: true });
  const load = async (name: string) => import(pathToFileURL(join(dir, name)).href);
  const other = {
    ...((await load('TimeoutError.ts')) as typeof import('../src/errors/TimeoutError.js')),
    ...((await load('NetworkError.ts')) as typeof import('../src/errors/NetworkError.js')),
    ...((await load('ApiResponseError.ts')) as typeof import('../src/errors/ApiResponseError.js')),
  };
  assert.notEqual(other.TimeoutError, TimeoutError);
  const request = {
    method: 'GET',
    url: 'http://x/',
    requestId: 'r',
    correlationId: 'c',
    headers: { authorization: `Bearer ${SECRET}` },
    attempts: 1,
  };
  const timeout = new other.TimeoutError(10, request);
  const network = new other.NetworkError(new TypeError('fetch failed'), request);
  assert.ok(!((timeout as unknown) instanceof TimeoutError));
  assert.ok(isTimeoutError(timeout));
  assert.ok(isNetworkError(network));
  assert.ok(!isNetworkError(timeout));
  assert.ok(!isApiResponseError(network));
  const response = new other.ApiResponseError({
    ...(await failedRequest()),
    deviations: [],
    data: undefined,
    request,
  });
  assert.ok(!((response as unknown) instanceof ApiResponseError));
  assert.ok(isApiResponseError(response));
  assert.ok(!JSON.stringify(response).includes(SECRET));
  assert.ok(!isApiResponseError({ status: 404 }));
  assert.ok(!isTimeoutError(null));
  assert.equal(timeout.request.headers['authorization'], '[redacted]');
  assert.ok(!JSON.stringify(network).includes(SECRET));
  assert.equal(new NetworkError('x', request).name, 'NetworkError');
  await rm(dir, { recursive: true, force: true });
});
