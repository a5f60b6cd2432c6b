import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AttemptContext, createClient } from '@apifault/client';
import { CLOUDS } from '../src/clouds.js';
import { reply, scriptedServer } from './helpers/scripted-server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('every request carries the Partner Center headers', async (t) => {
  const server = await scriptedServer(() => reply(200, {}));
  t.after(() => server.close());
  const client = createClient({
    baseUrl: server.url,
    credential: () => 't0k3n',
    locale: 'fr-FR',
    application: 'contoso-billing',
  });
  await client.patch('/v1/customers/c1/subscriptions/s1', {
    body: { quantity: 3 },
    ifMatch: 'AAAAAAAAbcU=',
    headers: { 'X-Custom': 'yes' },
  });
  const seen = server.requests[0]!;
  assert.equal(seen.method, 'PATCH');
  assert.equal(seen.url, '/v1/customers/c1/subscriptions/s1');
  assert.equal(seen.headers.authorization, 'Bearer t0k3n');
  assert.equal(seen.headers.accept, 'application/json');
  assert.equal(seen.headers['x-locale'], 'fr-FR');
  assert.equal(seen.headers['ms-partnercenter-application'], 'contoso-billing');
  assert.match(String(seen.headers['ms-requestid']), UUID);
  assert.match(String(seen.headers['ms-correlationid']), UUID);
  assert.equal(seen.headers['if-match'], '"AAAAAAAAbcU="');
  assert.equal(seen.headers['content-type'], 'application/json');
  assert.equal(seen.headers['x-custom'], 'yes');
  assert.equal(seen.body, '{"quantity":3}');
});

test('defaults: X-Locale en-US, no Authorization or application header', async (t) => {
  const server = await scriptedServer(() => reply(204));
  t.after(() => server.close());
  const client = createClient({ baseUrl: server.url });
  const response = await client.delete('/v1/x');
  assert.equal(response.status, 204);
  assert.equal(response.data, undefined);
  const seen = server.requests[0]!;
  assert.equal(seen.headers['x-locale'], 'en-US');
  assert.equal(seen.headers.authorization, undefined);
  assert.equal(seen.headers['ms-partnercenter-application'], undefined);
  assert.equal(seen.headers['content-type'], undefined);
});

test('MS-RequestId: the same on every attempt of a request, new for the next request', async (t) => {
  const server = await scriptedServer([reply(503), reply(500), reply(200, {}), reply(200, {})]);
  t.after(() => server.close());
  const client = createClient({ baseUrl: server.url, retry: { random: () => 0 } });
  await client.get('/v1/a');
  await client.get('/v1/b');
  const ids = server.requests.map((r) => r.headers['ms-requestid']);
  const correlation = server.requests.map((r) => r.headers['ms-correlationid']);
  assert.equal(ids.length, 4);
  assert.equal(ids[0], ids[1]);
  assert.equal(ids[1], ids[2]);
  assert.notEqual(ids[3], ids[0]);
  assert.equal(correlation[0], correlation[2], 'retries keep the correlation id too');
  assert.notEqual(correlation[3], correlation[0], 'a new correlation id per request');
});

test('a caller MS-CorrelationId and MS-RequestId are sent as given', async (t) => {
  const server = await scriptedServer(() => reply(200, {}));
  t.after(() => server.close());
  const client = createClient({ baseUrl: server.url });
  await client.get('/v1/a', { correlationId: 'corr-1', requestId: 'req-1' });
  await client.get('/v1/b', { correlationId: 'corr-1' });
  assert.equal(server.requests[0]?.headers['ms-correlationid'], 'corr-1');
  assert.equal(server.requests[0]?.headers['ms-requestid'], 'req-1');
  assert.equal(server.requests[1]?.headers['ms-correlationid'], 'corr-1');
  assert.match(String(server.requests[1]?.headers['ms-requestid']), UUID);
});

test('a JSON body is serialized once and re-sent intact on retry', async (t) => {
  const server = await scriptedServer([
    reply(429, '', { 'retry-after': '0' }),
    reply(201, { id: 'o1' }),
  ]);
  t.after(() => server.close());
  const client = createClient({ baseUrl: server.url });
  let reads = 0;
  const body = {
    get lineItems() {
      reads++;
      return [{ offerId: 'O', quantity: 2, note: 'é✓' }];
    },
  };
  const response = await client.post('/v1/customers/c1/orders', { body });
  assert.equal(response.status, 201);
  assert.equal(reads, 1);
  assert.equal(server.requests[0]?.body, server.requests[1]?.body);
  assert.deepEqual(JSON.parse(server.requests[1]!.body), {
    lineItems: [{ offerId: 'O', quantity: 2, note: 'é✓' }],
  });
});

test('a streaming body is sent and never retried', async (t) => {
  const server = await scriptedServer([reply(503, '', { 'retry-after': '0' }), reply(200, {})]);
  t.after(() => server.close());
  const client = createClient({ baseUrl: server.url });
  async function* chunks() {
    yield 'hello ';
    yield new TextEncoder().encode('world');
  }
  await assert.rejects(client.put('/v1/blob', { body: chunks() }), { status: 503 });
  assert.equal(server.requests.length, 1);
  assert.equal(server.requests[0]?.body, 'hello world');
});

test('strings go as they are; query values are encoded; arrays repeat', async (t) => {
  const server = await scriptedServer(() => reply(200, 'plain', { 'content-type': 'text/plain' }));
  t.after(() => server.close());
  const client = createClient({ baseUrl: `${server.url}/` });
  const response = await client.post('v1/x', {
    body: 'raw text',
    query: { size: 20, filter: 'a b&c', skip: undefined, ids: ['1', '2'] },
  });
  assert.equal(response.data, 'plain');
  assert.equal(server.requests[0]?.url, '/v1/x?size=20&filter=a+b%26c&ids=1&ids=2');
  assert.equal(server.requests[0]?.body, 'raw text');
});

test('a 2xx body that is not valid JSON is handed back as text', async (t) => {
  const server = await scriptedServer([
    reply(200, '{"a":', { 'content-type': 'application/json' }),
  ]);
  t.after(() => server.close());
  const client = createClient({ baseUrl: server.url });
  assert.equal((await client.get('/v1/x')).data, '{"a":');
});

test('a body that cannot be JSON is a TypeError before anything is sent', async () => {
  const client = createClient({ baseUrl: 'http://127.0.0.1:9' });
  await assert.rejects(client.post('/v1/x', { body: { n: 1n } }), TypeError);
});

test('hooks see each attempt; beforeRequest may add headers', async (t) => {
  const server = await scriptedServer([reply(500), reply(200, {})]);
  t.after(() => server.close());
  const seen: [string, number, number][] = [];
  const client = createClient({
    baseUrl: server.url,
    retry: { random: () => 0 },
    hooks: {
      beforeRequest: [
        (context: AttemptContext) => {
          context.headers.set('x-attempt', String(context.attempt));
        },
      ],
      afterResponse: [
        (context, response) => {
          seen.push([context.requestId, context.attempt, response.status]);
        },
      ],
    },
  });
  await client.get('/v1/x');
  assert.deepEqual(
    server.requests.map((r) => r.headers['x-attempt']),
    ['1', '2'],
  );
  assert.deepEqual(
    seen.map(([, attempt, status]) => [attempt, status]),
    [
      [1, 500],
      [2, 200],
    ],
  );
  assert.equal(seen[0]?.[0], seen[1]?.[0]);
});

test('cloud presets and base URL choice', () => {
  assert.equal(createClient().baseUrl, 'https://api.partnercenter.microsoft.com');
  assert.equal(createClient({ cloud: 'china' }).baseUrl, CLOUDS.china);
  assert.equal(CLOUDS.china, 'https://partner.partnercenterapi.microsoftonline.cn');
  assert.equal(CLOUDS.germany, CLOUDS.global);
  assert.equal(CLOUDS.usgov, CLOUDS.global);
  assert.equal(
    createClient({ baseUrl: 'http://127.0.0.1:8080/' }).baseUrl,
    'http://127.0.0.1:8080',
  );
  assert.throws(() => createClient({ baseUrl: 'http://x', cloud: 'global' }), TypeError);
});
