import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import {
  ApiResponseError,
  createClient,
  isApiResponseError,
  type RetryEvent,
  type RetryOptions,
} from '@apifault/client';
import { ManualClock } from './helpers/manual-clock.js';
import {
  reply,
  type ScriptedServer,
  type Step,
  scriptedServer,
} from './helpers/scripted-server.js';

const START = Date.parse('2026-03-02T10:00:00Z');
const ok = reply(200, { id: 'c1' });
let server: ScriptedServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A client on a scripted server that records its retry decisions. */
async function setup(script: Step[], retry: RetryOptions = {}) {
  server = await scriptedServer(script);
  const clock = new ManualClock(START);
  const events: RetryEvent[] = [];
  let notify: (() => void) | undefined;
  const client = createClient({
    baseUrl: server.url,
    clock,
    retry: {
      random: () => 0.5,
      ...retry,
      onRetry: (event) => {
        events.push(event);
        notify?.();
      },
    },
  });
  /** Resolves at the next retry decision, once the client has scheduled its wait. */
  const nextRetry = () =>
    new Promise<void>((resolve) => {
      notify = () => {
        notify = undefined;
        // The wait is scheduled right after onRetry returns.
        queueMicrotask(() => setImmediate(resolve));
      };
    });
  return { server, client, events, nextRetry, clock };
}

test('429 with Retry-After: 2 waits exactly 2000 ms, then succeeds', async () => {
  const { server, client, events, nextRetry, clock } = await setup([
    reply(
      429,
      { code: '429', description: 'Slow down.', source: 'PartnerFD' },
      { 'retry-after': '2' },
    ),
    ok,
  ]);
  const retried = nextRetry();
  const pending = client.get('/v1/customers/c1');
  await retried;
  assert.deepEqual(
    events.map((e) => [e.attempt, e.delayMs, e.reason]),
    [[1, 2000, 'retry-after']],
  );
  clock.tick(1999);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(server.requests.length, 1, 'no second attempt before the 2000 ms elapse');
  clock.tick(1);
  const response = await pending;
  assert.equal(response.status, 200);
  assert.deepEqual(response.data, { id: 'c1' });
  assert.equal(server.requests.length, 2);
  assert.equal(clock.now() - START, 2000);
});

test('503 with an HTTP-date waits until that date; a past date means now', async () => {
  const at = new Date(START + 3000).toUTCString();
  const past = new Date(START - 60_000).toUTCString();
  const { client, events, nextRetry, clock } = await setup([
    reply(503, 'busy', { 'retry-after': at, 'content-type': 'text/plain' }),
    reply(503, '', { 'retry-after': past }),
    ok,
  ]);
  const retried = nextRetry();
  const pending = client.post('/v1/orders', { body: { a: 1 } });
  await retried;
  assert.equal(events[0]?.delayMs, 3000);
  assert.equal(events[0]?.reason, 'retry-after');
  clock.tick(3000);
  const response = await pending;
  assert.equal(response.status, 200);
  assert.deepEqual(
    events.map((e) => e.delayMs),
    [3000, 0],
  );
});

test('retry-after-ms and x-ms-retry-after-ms are read in milliseconds', async () => {
  const { client, events, nextRetry, clock } = await setup([
    reply(429, '', { 'retry-after-ms': '1500', 'retry-after': '9' }),
    reply(429, '', { 'x-ms-retry-after-ms': '250' }),
    ok,
  ]);
  let retried = nextRetry();
  const pending = client.get('/v1/x');
  await retried;
  retried = nextRetry();
  clock.tick(1500);
  await retried;
  clock.tick(250);
  await pending;
  assert.deepEqual(
    events.map((e) => e.delayMs),
    [1500, 250],
  );
});

test('a Retry-After past the maximum is clamped, never jittered', async () => {
  const { client, events, nextRetry, clock } = await setup(
    [reply(429, '', { 'retry-after': '3600' }), ok],
    { maxRetryAfterMs: 5000, random: () => 0.01 },
  );
  const retried = nextRetry();
  const pending = client.get('/v1/x');
  await retried;
  assert.equal(events[0]?.delayMs, 5000);
  clock.tick(5000);
  assert.equal((await pending).status, 200);
});

test('429 without Retry-After backs off exponentially with full jitter', async () => {
  const { client, events, nextRetry, clock } = await setup([reply(429), reply(429), ok], {
    baseDelayMs: 1000,
    random: () => 0.75,
  });
  let retried = nextRetry();
  const pending = client.get('/v1/x');
  await retried;
  retried = nextRetry();
  clock.tick(750);
  await retried;
  clock.tick(1500);
  await pending;
  assert.deepEqual(
    events.map((e) => [e.delayMs, e.reason]),
    [
      [750, 'backoff'],
      [1500, 'backoff'],
    ],
  );
});

test('three 500s on a POST: one attempt, not retried', async () => {
  const { server, client, events } = await setup([reply(500), reply(500), reply(500)]);
  const error = await client.post('/v1/orders', { body: { q: 1 } }).catch((e: unknown) => e);
  assert.ok(isApiResponseError(error));
  assert.equal(error.status, 500);
  assert.equal(error.category, 'ServerError');
  assert.equal(server.requests.length, 1);
  assert.equal(events.length, 0);
});

test('three 500s on a GET: retried up to the attempt cap, then the last error', async () => {
  const { server, client, events } = await setup(
    [
      reply(500, { code: 'a', description: 'one' }),
      reply(500),
      reply(500, { code: 'c', description: 'three', source: 'S' }),
    ],
    { attempts: 3, random: () => 0 },
  );
  const error = await client.get('/v1/x').catch((e: unknown) => e);
  assert.ok(error instanceof ApiResponseError);
  assert.equal(error.code, 'c');
  assert.equal(error.request.attempts, 3);
  assert.equal(server.requests.length, 3);
  assert.deepEqual(
    events.map((e) => [e.attempt, e.reason]),
    [
      [1, 'backoff'],
      [2, 'backoff'],
    ],
  );
});

test('a POST marked idempotent is retried after a 502', async () => {
  const { server, client } = await setup([reply(502), ok], { random: () => 0 });
  const response = await client.post('/v1/x', { body: { a: 1 }, idempotent: true });
  assert.equal(response.status, 200);
  assert.equal(server.requests.length, 2);
});

for (const status of [400, 401, 403, 404, 405, 406, 409, 412, 501]) {
  test(`${status} is never retried`, async () => {
    const { server, client } = await setup([reply(status), ok], { random: () => 0 });
    const error = await client.get('/v1/x').catch((e: unknown) => e);
    assert.ok(isApiResponseError(error));
    assert.equal(error.status, status);
    assert.equal(server.requests.length, 1);
  });
}

for (const status of [408, 500, 502, 504]) {
  test(`${status} is retried for a GET`, async () => {
    const { server, client } = await setup([reply(status), ok], { random: () => 0 });
    assert.equal((await client.get('/v1/x')).status, 200);
    assert.equal(server.requests.length, 2);
  });
}

test('a wait that would pass the deadline ends the request at once with the last error', async () => {
  const { server, client, events, clock } = await setup(
    [reply(429, '', { 'retry-after': '10' }), ok],
    {
      deadlineMs: 5000,
    },
  );
  const error = await client.get('/v1/x').catch((e: unknown) => e);
  assert.ok(isApiResponseError(error));
  assert.equal(error.status, 429);
  assert.equal(error.retryAfterMs, 10_000);
  assert.equal(server.requests.length, 1);
  assert.equal(events.length, 0);
  assert.equal(clock.now(), START, 'no time passed waiting');
});

test('an abort during a pending Retry-After wait rejects at once with the caller reason', async () => {
  const { server, client, nextRetry, clock } = await setup([
    reply(429, '', { 'retry-after': '30' }),
    ok,
  ]);
  const controller = new AbortController();
  const reason = new Error('user left');
  const retried = nextRetry();
  const pending = client.get('/v1/x', { signal: controller.signal });
  await retried;
  controller.abort(reason);
  await assert.rejects(pending, (error) => error === reason);
  assert.equal(server.requests.length, 1);
  assert.equal(clock.now(), START);
});

test('an abort without a reason rejects with the DOMException AbortError', async () => {
  const { client } = await setup([ok]);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(client.get('/v1/x', { signal: controller.signal }), {
    name: 'AbortError',
  });
});

test('retry numbers are checked', () => {
  assert.throws(() => createClient({ retry: { attempts: 0 } }), RangeError);
  assert.throws(() => createClient({ retry: { baseDelayMs: -1 } }), RangeError);
  assert.throws(() => createClient({ timeout: 0 }), RangeError);
});

test("Partner Center's own 429 ({ statusCode, message }, Retry-After, no RateLimit headers): waits its seconds, and an error carries its message", async () => {
  const message = 'Rate limit is exceeded. Try again in 7 seconds.';
  const throttled = reply(429, JSON.stringify({ statusCode: 429, message }), {
    'content-type': 'application/json',
    'retry-after': '7',
  });
  const { client, events, nextRetry, clock } = await setup([throttled, ok]);
  const retried = nextRetry();
  const pending = client.get('/v1/customers');
  await retried;
  assert.deepEqual(
    events.map((e) => [e.delayMs, e.reason]),
    [[7000, 'retry-after']],
  );
  const first = events[0]?.error;
  assert.ok(isApiResponseError(first));
  assert.equal(first.code, '429');
  assert.equal(first.description, message);
  assert.equal(first.retryAfterMs, 7000);
  clock.tick(7000);
  assert.equal((await pending).status, 200);
});
