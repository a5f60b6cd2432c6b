/** The idempotency stage on node:http, Express, Fastify and Hono: a repeat while the first runs, and a client that hangs up. */

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { validateErrorBody } from '@apifault/contract';
import { CASE_OPTIONS } from './helpers/cases.js';
import { send } from './helpers/http.js';
import { ADAPTERS, type Running, start } from './helpers/servers.js';

const order = (key: string, body: string) => ({
  method: 'POST',
  path: '/v1/orders',
  headers: { 'content-type': 'application/json', 'ms-requestid': key },
  body,
});

/** Sends `body` with `key`, then hangs up after `ms`, before the answer. */
function hangUp(url: string, key: string, body: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const client = request(`${url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ms-requestid': key },
      agent: false,
    });
    client.on('error', () => {});
    client.end(body);
    setTimeout(() => {
      client.destroy();
      resolve();
    }, ms);
  });
}

describe('idempotency on every adapter', () => {
  const servers: Running[] = [];
  before(async () => {
    for (const name of ADAPTERS) servers.push(await start(name, CASE_OPTIONS));
  });
  after(() => Promise.all(servers.map((s) => s.close())));

  test('a repeat while the first runs is a 409 with Retry-After; once done, it replays', async () => {
    await Promise.all(
      servers.map(async ({ name, url }) => {
        const first = send(url, order('slow-1', '{"item":"s","waitMs":300}'));
        await sleep(100);
        const during = await send(url, order('slow-1', '{"item":"s","waitMs":300}'));
        assert.equal(during.status, 409, name);
        assert.deepEqual(validateErrorBody(during.json), [], name);
        assert.equal((during.json as { code: string }).code, 'IdempotencyKeyInProgress', name);
        assert.equal(during.headers['retry-after'], '1', name);
        const done = await first;
        assert.equal(done.status, 201, name);
        const replay = await send(url, order('slow-1', '{"item":"s","waitMs":300}'));
        assert.equal(replay.status, 201, name);
        assert.equal(replay.text, done.text, name);
        assert.equal(replay.headers['idempotent-replayed'], 'true', name);
      }),
    );
  });

  test('a client that hangs up mid-run: the answer is still stored, the retry replays it', async () => {
    await Promise.all(
      servers.map(async ({ name, url }) => {
        await hangUp(url, 'cut-1', '{"item":"c","waitMs":200}', 50);
        await sleep(400);
        const retry = await send(url, order('cut-1', '{"item":"c","waitMs":200}'));
        assert.equal(retry.status, 201, name);
        assert.equal(retry.headers['idempotent-replayed'], 'true', name);
        const id = Number((retry.json as { id: string }).id.slice(2));
        const fresh = await send(url, order('cut-2', '{"item":"d"}'));
        // The order after the cut one: the retry created nothing.
        assert.equal((fresh.json as { id: string }).id, `o-${id + 1}`, name);
      }),
    );
  });
});
