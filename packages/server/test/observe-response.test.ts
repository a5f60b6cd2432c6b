/** Exchange.observeResponse on node:http, Express, Fastify and Hono: several observers of one answer, each with its own body bound, beside the idempotency stage's. */

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp, type ObservedResponse, type Stage } from '../src/index.js';
import { CASE_OPTIONS } from './helpers/cases.js';
import { send } from './helpers/http.js';
import { ADAPTERS, type Running, start } from './helpers/servers.js';

/** What the two observers of one request saw, by its MS-CorrelationId. */
const seen = new Map<
  string,
  { whole?: ObservedResponse | undefined; cut?: ObservedResponse | undefined }
>();

/** A stage that observes every answer twice: whole, and cut to 5 body bytes. */
const watcher: Stage = {
  name: 'watcher',
  after: 'target',
  run(ex) {
    const entry: { whole?: ObservedResponse | undefined; cut?: ObservedResponse | undefined } = {};
    seen.set(ex.correlationId, entry);
    ex.observeResponse((response) => {
      entry.whole = response;
    });
    ex.observeResponse(
      (response) => {
        entry.cut = response;
      },
      { maxBodyBytes: 5 },
    );
  },
};

const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');

/** Waits until both observers of `id` were called (Hono reports after reading a clone). */
async function observed(id: string) {
  for (let i = 0; i < 50; i++) {
    const entry = seen.get(id);
    if (entry?.whole !== undefined && entry.cut !== undefined) return entry;
    await sleep(10);
  }
  assert.fail(`the observers of ${id} were not both called`);
}

describe('observeResponse on every adapter', () => {
  const servers: Running[] = [];
  before(async () => {
    for (const name of ADAPTERS) {
      servers.push(await start(name, { ...CASE_OPTIONS, stages: [watcher] }));
    }
  });
  after(() => Promise.all(servers.map((s) => s.close())));

  test('every observer gets the answer once, its body cut to its own bound', async () => {
    for (const { name, url } of servers) {
      const id = `observe-get-${name}`;
      const res = await send(url, {
        method: 'GET',
        path: '/v1/customers/abcdefgh',
        headers: { 'ms-correlationid': id },
      });
      assert.equal(res.status, 200, name);
      const { whole, cut } = await observed(id);
      assert.equal(whole?.status, 200, name);
      assert.equal(text(whole?.body), res.text, name);
      assert.equal(whole?.bodyLength, Buffer.byteLength(res.text), name);
      assert.equal(cut?.status, 200, name);
      assert.equal(text(cut?.body), res.text.slice(0, 5), name);
      assert.equal(cut?.bodyLength, Buffer.byteLength(res.text), name);
      assert.match(String(whole?.headers['content-type']), /application\/json/, name);
    }
  });

  test("the idempotency stage's observer still stores the answer beside them", async () => {
    for (const { name, url } of servers) {
      const order = (id: string) => ({
        method: 'POST',
        path: '/v1/orders',
        headers: {
          'content-type': 'application/json',
          'ms-requestid': `observe-order-${name}`,
          'ms-correlationid': id,
        },
        body: '{"item":"o"}',
      });
      const first = await send(url, order(`observe-first-${name}`));
      assert.equal(first.status, 201, name);
      const { whole } = await observed(`observe-first-${name}`);
      assert.equal(text(whole?.body), first.text, name);
      const replay = await send(url, order(`observe-replay-${name}`));
      assert.equal(replay.headers['idempotent-replayed'], 'true', name);
      assert.equal(replay.text, first.text, name);
    }
  });
});

test('node:http: an answer the adapter writes and one a handler writes on ctx.res are both observed', async () => {
  const observed: (ObservedResponse | undefined)[] = [];
  const app = createApp({
    stages: [
      {
        name: 'watcher',
        after: 'target',
        run(ex) {
          ex.observeResponse((response) => observed.push(response), { maxBodyBytes: 4 });
        },
      },
    ],
  });
  app.get('/value', () => ({ answer: 42 }));
  app.get('/raw', (ctx) => {
    ctx.setHeader('x-before', 'yes');
    ctx.res.writeHead(202, { 'content-type': 'text/plain' });
    ctx.res.write('ab');
    ctx.res.end('cdef');
  });
  const server = createServer(app.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    assert.equal(await (await fetch(`${url}/value`)).text(), '{"answer":42}');
    assert.equal(await (await fetch(`${url}/raw`)).text(), 'abcdef');
    const [value, raw] = observed;
    assert.equal(value?.status, 200);
    assert.equal(text(value?.body), '{"an');
    assert.equal(value?.bodyLength, 13);
    assert.match(String(value?.headers['content-type']), /application\/json/);
    assert.equal(raw?.status, 202);
    assert.equal(text(raw?.body), 'abcd');
    assert.equal(raw?.bodyLength, 6);
    assert.equal(raw?.headers['x-before'], 'yes');
    assert.equal(raw?.headers['content-type'], 'text/plain');
  } finally {
    server.close();
  }
});
