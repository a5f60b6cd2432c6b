import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type CredentialContext,
  createClient,
  isApiResponseError,
  type RetryEvent,
} from '@apifault/client';
import { reply, scriptedServer } from './helpers/scripted-server.js';

const challenge = { 'www-authenticate': 'OAuth realm=urn:cpsvc:cpid:42' };
const unauthorized = reply(401, { code: '401', description: 'Token expired.' }, challenge);

/** A credential that hands out token-1, token-2 … and records each call. */
function countingCredential() {
  const calls: CredentialContext[] = [];
  const credential = async (context: CredentialContext) => {
    calls.push(context);
    return `token-${calls.length}`;
  };
  return { calls, credential };
}

test('401 with a challenge: one fresh token, one retry, then 200', async (t) => {
  const server = await scriptedServer([unauthorized, reply(200, { ok: true })]);
  t.after(() => server.close());
  const { calls, credential } = countingCredential();
  const events: RetryEvent[] = [];
  const client = createClient({
    baseUrl: server.url,
    credential,
    retry: { onRetry: (e) => void events.push(e) },
  });
  const response = await client.get('/v1/customers');
  assert.deepEqual(response.data, { ok: true });
  assert.deepEqual(calls, [{ forceRefresh: false }, { forceRefresh: true }]);
  assert.equal(server.requests[0]?.headers.authorization, 'Bearer token-1');
  assert.equal(server.requests[1]?.headers.authorization, 'Bearer token-2');
  assert.deepEqual(
    events.map((e) => [e.reason, e.delayMs]),
    [['credential-refresh', 0]],
  );
});

test('a second 401 ends the request: the credential is never called a third time', async (t) => {
  const server = await scriptedServer([unauthorized, unauthorized, reply(200, {})]);
  t.after(() => server.close());
  const { calls, credential } = countingCredential();
  const client = createClient({ baseUrl: server.url, credential });
  const error = await client.get('/v1/customers').catch((e: unknown) => e);
  assert.ok(isApiResponseError(error));
  assert.equal(error.status, 401);
  assert.equal(error.category, 'Unauthorized');
  assert.equal(calls.length, 2);
  assert.equal(server.requests.length, 2);
});

test('401 without a challenge is not retried', async (t) => {
  const server = await scriptedServer([reply(401), reply(200, {})]);
  t.after(() => server.close());
  const { calls, credential } = countingCredential();
  const client = createClient({ baseUrl: server.url, credential });
  await assert.rejects(client.get('/v1/x'), { status: 401 });
  assert.equal(calls.length, 1);
  assert.equal(server.requests.length, 1);
});

test('the token is cached between requests and shared by concurrent ones', async (t) => {
  const server = await scriptedServer(() => reply(200, {}));
  t.after(() => server.close());
  const { calls, credential } = countingCredential();
  const client = createClient({ baseUrl: server.url, credential: (c) => credential(c) });
  await Promise.all([client.get('/a'), client.get('/b'), client.get('/c')]);
  await client.get('/d');
  assert.equal(calls.length, 1);
  assert.ok(server.requests.every((r) => r.headers.authorization === 'Bearer token-1'));
});

test('a synchronous credential and a full Authorization value are accepted', async (t) => {
  const server = await scriptedServer(() => reply(200, {}));
  t.after(() => server.close());
  const client = createClient({ baseUrl: server.url, credential: () => 'Bearer abc' });
  await client.get('/a');
  assert.equal(server.requests[0]?.headers.authorization, 'Bearer abc');
});

test('a caller Authorization header wins and is never refreshed', async (t) => {
  const server = await scriptedServer([unauthorized, reply(200, {})]);
  t.after(() => server.close());
  const { calls, credential } = countingCredential();
  const client = createClient({ baseUrl: server.url, credential });
  await assert.rejects(client.get('/a', { headers: { Authorization: 'Bearer mine' } }), {
    status: 401,
  });
  assert.equal(calls.length, 0);
  assert.equal(server.requests[0]?.headers.authorization, 'Bearer mine');
});

test('a credential failure propagates unchanged', async () => {
  const failure = new Error('no token');
  const client = createClient({
    baseUrl: 'http://127.0.0.1:9',
    credential: () => {
      throw failure;
    },
  });
  await assert.rejects(client.get('/a'), (e) => e === failure);
});
