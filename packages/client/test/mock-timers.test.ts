import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient, type RetryEvent } from '@apifault/client';
import { reply, scriptedServer } from './helpers/scripted-server.js';

// The default clock reads the timer globals on each call, so node:test's mock.timers drives
// the client's waits without any option. (The other files inject a clock instead: mocked
// globals also freeze the HTTP stack's own timers, which must not leak between tests.)
test('the default clock follows node:test mock.timers: Retry-After: 2 waits 2000 ms', async (t) => {
  const server = await scriptedServer([reply(429, '', { 'retry-after': '2' }), reply(200, [1])]);
  t.after(() => server.close());
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.parse('2026-03-02T10:00:00Z') });
  const start = Date.now();
  const events: RetryEvent[] = [];
  let decided: () => void = () => {};
  const retried = new Promise<void>((resolve) => {
    decided = () => queueMicrotask(() => setImmediate(resolve));
  });
  const client = createClient({
    baseUrl: server.url,
    retry: {
      onRetry: (event) => {
        events.push(event);
        decided();
      },
    },
  });
  const pending = client.get('/v1/x');
  await retried;
  t.mock.timers.tick(1999);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(server.requests.length, 1);
  t.mock.timers.tick(1);
  const response = await pending;
  assert.deepEqual(response.data, [1]);
  assert.equal(events[0]?.delayMs, 2000);
  assert.equal(Date.now() - start, 2000);
});
