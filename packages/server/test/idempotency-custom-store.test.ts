/**
 * The idempotency stage over a store of the application's own: what a store returns (a value,
 * a promise, any thenable) is honoured, the lazy thenables of query builders included.
 */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createApp, type IdempotencyStore, memoryIdempotencyStore } from '../src/index.js';
import { send } from './helpers/http.js';

/**
 * A thenable that does its work only when `then` is called, as a query builder does; not a
 * Promise.
 */
function lazy<T>(work: () => T): PromiseLike<T> {
  return {
    // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose, the subject of the test
    then(onFulfilled, onRejected) {
      return new Promise<T>((resolve) => resolve(work())).then(onFulfilled, onRejected);
    },
  };
}

/** The memory store behind lazy thenables. */
function lazyStore(): IdempotencyStore {
  const inner = memoryIdempotencyStore();
  return {
    claim: (...args) => lazy(() => inner.claim(...args)) as never,
    complete: (...args) => lazy(() => inner.complete(...args)) as never,
    release: (...args) => lazy(() => inner.release(...args)) as never,
  };
}

test('a store that returns thenables: claimed, completed, replayed; the handler runs once', async (t) => {
  const app = createApp({ idempotency: { store: lazyStore() } });
  let runs = 0;
  app.post('/v1/orders', async (ctx) => {
    const body = (await ctx.json()) as object;
    ctx.status = 201;
    return { id: `o-${++runs}`, ...body };
  });
  const server = createServer(app.handler).listen(0, '127.0.0.1');
  t.after(() => server.close());
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const order = {
    method: 'POST',
    path: '/v1/orders',
    headers: { 'content-type': 'application/json', 'ms-requestid': 'lazy-1' },
    body: '{"item":"a"}',
  };

  const first = await send(url, order);
  assert.equal(first.status, 201);
  const replay = await send(url, order);
  assert.equal(replay.status, 201);
  assert.equal(replay.headers['idempotent-replayed'], 'true');
  assert.equal(replay.text, first.text);
  assert.equal(runs, 1);
});
