/** Bearer authentication (401 with the OAuth challenge) and authorization (403). */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ApiError, isApiError } from '@apifault/contract';
import { type AuthOptions, authenticate, parseBearer } from '../src/index.js';

const REALM = 'urn:cpsvc:cpid:test';

async function rejection(options: AuthOptions, authorization?: string): Promise<ApiError> {
  const headers = authorization === undefined ? {} : { authorization };
  try {
    await authenticate(options, { method: 'GET', path: '/x', headers }, REALM);
  } catch (error) {
    assert.ok(isApiError(error));
    return error;
  }
  throw new Error('expected a rejection');
}

const verify = (token: string) => (token === 'ok' ? { sub: 'u1', admin: false } : undefined);

test('parseBearer', () => {
  assert.deepEqual(parseBearer(undefined), { kind: 'missing' });
  assert.deepEqual(parseBearer('  '), { kind: 'missing' });
  assert.deepEqual(parseBearer('bearer abc.DEF-_~+/=='), {
    kind: 'token',
    token: 'abc.DEF-_~+/==',
  });
  for (const bad of ['Bearer', 'Bearer ', 'Basic abc', 'Bearer a b', 'Bearer ä', 'Bearerabc']) {
    assert.deepEqual(parseBearer(bad), { kind: 'malformed' }, bad);
  }
});

test('missing token: 401 with exactly the documented challenge (RFC 6750 §3.1: no error code)', async () => {
  const error = await rejection({ verify });
  assert.equal(error.status, 401);
  assert.equal(error.headers['WWW-Authenticate'], `OAuth realm=${REALM}`);
});

test('malformed header: invalid_request; rejected token: invalid_token', async () => {
  const malformed = await rejection({ verify }, 'Basic Zm9v');
  assert.match(
    malformed.headers['WWW-Authenticate']!,
    /^OAuth realm=urn:cpsvc:cpid:test, error="invalid_request"/,
  );
  const rejected = await rejection({ verify }, 'Bearer nope');
  assert.match(rejected.headers['WWW-Authenticate']!, /, error="invalid_token"/);
  assert.equal(rejected.description, 'The bearer token is not valid.');
});

test('errorDetail: false keeps the bare challenge everywhere; realm option overrides', async () => {
  const error = await rejection(
    { verify, errorDetail: false, realm: 'urn:cpsvc:cpid:9' },
    'Bearer x',
  );
  assert.equal(error.headers['WWW-Authenticate'], 'OAuth realm=urn:cpsvc:cpid:9');
});

test('a verifier that throws rejects the token (cause kept); an ApiError passes through', async () => {
  const boom = new Error('signature mismatch');
  const error = await rejection(
    {
      verify: () => {
        throw boom;
      },
    },
    'Bearer x',
  );
  assert.equal(error.status, 401);
  assert.equal(error.cause, boom);
  const passthrough = await rejection(
    {
      verify: async () => {
        throw Object.assign(await rejection({ verify }), {});
      },
    },
    'Bearer x',
  );
  assert.equal(passthrough.status, 401);
});

test('authorize false: 403; true: the principal; skip: no check', async () => {
  const forbidden = await rejection(
    { verify, authorize: (p) => (p as { admin: boolean }).admin },
    'Bearer ok',
  );
  assert.equal(forbidden.status, 403);
  const principal = await authenticate(
    { verify, authorize: async () => true },
    { method: 'GET', path: '/x', headers: { authorization: 'Bearer ok' } },
    REALM,
  );
  assert.deepEqual(principal, { sub: 'u1', admin: false });
  const skipped = await authenticate(
    { verify, skip: (r) => r.path === '/health' },
    { method: 'GET', path: '/health', headers: {} },
    REALM,
  );
  assert.equal(skipped, undefined);
});
