import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import {
  createClient,
  isApiResponseError,
  isNetworkError,
  isTimeoutError,
  type RetryEvent,
} from '@apifault/client';
import { normalizeErrorResponse } from '@apifault/contract';
import { ManualClock } from './helpers/manual-clock.js';
import { cutOff, hang, reply, scriptedServer } from './helpers/scripted-server.js';

test('a socket that hangs: the per-attempt timeout gives a TimeoutError', async (t) => {
  const server = await scriptedServer([hang()]);
  t.after(() => server.close());
  const clock = new ManualClock(0);
  const client = createClient({
    baseUrl: server.url,
    clock,
    timeout: 5000,
    retry: { attempts: 1 },
  });
  const pending = client.get('/v1/slow').catch((e: unknown) => e);
  await server.waitForRequests(1);
  clock.tick(4999);
  clock.tick(1);
  const error = await pending;
  assert.ok(isTimeoutError(error), String(error));
  assert.equal(error.timeoutMs, 5000);
  assert.match(error.message, /timed out after 5000 ms: GET http:\/\/127\.0\.0\.1:\d+\/v1\/slow/);
});

test('a timeout is retried for a GET like a network error', async (t) => {
  const server = await scriptedServer([hang(), reply(200, { id: 1 })]);
  t.after(() => server.close());
  const clock = new ManualClock(0);
  const events: RetryEvent[] = [];
  const client = createClient({
    baseUrl: server.url,
    clock,
    timeout: 1000,
    retry: { random: () => 0, onRetry: (e) => void events.push(e) },
  });
  const pending = client.get('/v1/x');
  await server.waitForRequests(1);
  clock.tick(1000);
  assert.deepEqual((await pending).data, { id: 1 });
  assert.deepEqual(
    events.map((e) => e.reason),
    ['timeout'],
  );
});

test('a timeout on a POST is not retried', async (t) => {
  const server = await scriptedServer([hang(), reply(200, {})]);
  t.after(() => server.close());
  const clock = new ManualClock(0);
  const client = createClient({ baseUrl: server.url, clock, timeout: 1000 });
  const pending = client.post('/v1/x', { body: {} }).catch((e: unknown) => e);
  await server.waitForRequests(1);
  clock.tick(1000);
  assert.ok(isTimeoutError(await pending));
  assert.equal(server.requests.length, 1);
});

test('a body cut off mid-way gives a NetworkError', async (t) => {
  const server = await scriptedServer([cutOff(200, 100, '{"items":[1,2')]);
  t.after(() => server.close());
  const client = createClient({ baseUrl: server.url, retry: { attempts: 1 } });
  const error = await client.get('/v1/x').catch((e: unknown) => e);
  assert.ok(isNetworkError(error), String(error));
  assert.equal(error.status, 200);
  assert.ok(error.cause !== undefined);
});

test('a body cut off mid-way is retried for a GET', async (t) => {
  const server = await scriptedServer([
    cutOff(200, 100, '{"items":[1,2'),
    reply(200, { items: [] }),
  ]);
  t.after(() => server.close());
  const events: RetryEvent[] = [];
  const client = createClient({
    baseUrl: server.url,
    retry: { random: () => 0, onRetry: (e) => void events.push(e) },
  });
  assert.deepEqual((await client.get('/v1/x')).data, { items: [] });
  assert.deepEqual(
    events.map((e) => e.reason),
    ['network-error'],
  );
});

test('a refused connection is a NetworkError, retried up to the cap for a GET', async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  let retries = 0;
  const client = createClient({
    baseUrl: `http://127.0.0.1:${port}`,
    retry: { attempts: 3, random: () => 0, onRetry: () => void retries++ },
  });
  const error = await client.get('/v1/x').catch((e: unknown) => e);
  assert.ok(isNetworkError(error), String(error));
  assert.equal(error.request.attempts, 3);
  assert.equal(retries, 2);
});

test('an HTML 502 from a gateway becomes an ApiResponseError', async (t) => {
  const html =
    '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';
  const server = await scriptedServer([reply(502, html, { 'content-type': 'text/html' })]);
  t.after(() => server.close());
  const client = createClient({ baseUrl: server.url, retry: { attempts: 1 } });
  const error = await client.get('/v1/x').catch((e: unknown) => e);
  assert.ok(isApiResponseError(error));
  assert.equal(error.status, 502);
  assert.equal(error.category, 'BadGateway');
  assert.equal(error.code, '502');
  const expected = normalizeErrorResponse({ status: 502, headers: error.headers, bodyText: html });
  assert.equal(error.description, expected.body.description);
  assert.deepEqual(error.deviations, expected.deviations);
  assert.equal(error.bodyText, html);
});

test('an abort while the request is in flight rejects with the caller reason, not retried', async (t) => {
  const server = await scriptedServer([hang(), hang()]);
  t.after(() => server.close());
  for (const [index, timeout] of [30_000, Number.POSITIVE_INFINITY].entries()) {
    const client = createClient({ baseUrl: server.url, timeout });
    const controller = new AbortController();
    const reason = new Error(`stop (${timeout})`);
    const pending = client.get('/v1/x', { signal: controller.signal });
    await server.waitForRequests(index + 1);
    controller.abort(reason);
    await assert.rejects(pending, (e) => e === reason);
  }
  assert.equal(server.requests.length, 2);
});

test('the deadline cuts a hanging attempt short: TimeoutError at the deadline, no retry', async (t) => {
  const server = await scriptedServer([hang(), reply(200, {})]);
  t.after(() => server.close());
  const clock = new ManualClock(0);
  const client = createClient({
    baseUrl: server.url,
    clock,
    timeout: 30_000,
    retry: { deadlineMs: 5000 },
  });
  const pending = client.get('/v1/x').catch((e: unknown) => e);
  await server.waitForRequests(1);
  clock.tick(5000);
  const error = await pending;
  assert.ok(isTimeoutError(error), String(error));
  assert.equal(error.timeoutMs, 5000);
  assert.equal(clock.now(), 5000);
  assert.equal(server.requests.length, 1);
});
