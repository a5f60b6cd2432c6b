/** accepts / acceptsJson / checkAccept and the `produces` option: RFC 9110 §12.5.1 media-range matching for application/json and the other media types a route answers in. */

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { isApiError } from '@apifault/contract';
import fc from 'fast-check';
import { accepts, acceptsJson, checkAccept, createApp } from '../src/index.js';

test('admits JSON: missing, empty, exact, wildcards, parameters, q-values', () => {
  for (const accept of [
    undefined,
    '',
    '*/*',
    'application/json',
    'APPLICATION/JSON',
    'application/*',
    'text/html, application/json;q=0.1',
    'text/html;q=1, */*;q=0.01',
    'application/json; charset=utf-8',
    'application/json;charset="UTF-8";q=0.5',
    'garbage',
    ['text/html', 'application/json'],
  ]) {
    assert.equal(acceptsJson(accept), true, String(accept));
  }
});

test('excludes JSON: other types only, q=0, and the most specific range wins', () => {
  for (const accept of [
    'text/html',
    'text/html, image/png',
    'application/xml',
    'application/json;q=0',
    'application/json;q=0, */*',
    'application/json;q=0.000, application/*',
    'application/*;q=0, */*;q=1',
    'application/json; charset=iso-8859-1',
    'text/*, image/*;q=0.5',
  ]) {
    assert.equal(acceptsJson(accept), false, accept);
  }
});

test('an invalid q-value makes that range ignored', () => {
  assert.equal(acceptsJson('application/json;q=2, text/html'), false);
  assert.equal(acceptsJson('text/html;q=abc'), true);
});

test('checkAccept throws the contract 406', () => {
  assert.doesNotThrow(() => checkAccept({ accept: 'application/json' }));
  assert.throws(
    () => checkAccept({ accept: 'text/html' }),
    (e: unknown) => isApiError(e) && e.status === 406,
  );
});

test('property: never throws, whatever the header', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 5000 }), (accept) => {
      assert.equal(typeof acceptsJson(accept), 'boolean');
    }),
    { numRuns: 500 },
  );
});

test('accepts: another media type, by the most specific range', () => {
  for (const accept of [
    undefined,
    'text/event-stream',
    'TEXT/Event-Stream',
    'text/*',
    '*/*',
    'application/json, text/event-stream;q=0.5',
    'text/event-stream; charset=utf-8',
  ]) {
    assert.equal(accepts(accept, 'text/event-stream'), true, String(accept));
  }
  for (const accept of [
    'application/json',
    'text/html',
    'text/event-stream;q=0',
    'text/event-stream;q=0, */*',
    'text/*;q=0, */*',
    'application/*',
  ]) {
    assert.equal(accepts(accept, 'text/event-stream'), false, accept);
  }
});

test('checkAccept admits the media types a route names beside JSON', () => {
  const stream = { accept: 'text/event-stream' };
  assert.throws(
    () => checkAccept(stream),
    (e: unknown) => isApiError(e) && e.status === 406,
  );
  assert.doesNotThrow(() => checkAccept(stream, ['text/event-stream']));
  assert.throws(
    () => checkAccept({ accept: 'text/html' }, ['text/event-stream']),
    (e: unknown) => isApiError(e) && e.status === 406,
  );
});

test("the produces option: the accept stage admits a route's other media type, only there", async () => {
  const app = createApp({
    produces: (ex) => (ex.path === '/events' ? ['text/event-stream'] : undefined),
  });
  app.get('/events', (ctx) => {
    ctx.res.writeHead(200, { 'content-type': 'text/event-stream' });
    ctx.res.end('data: {}\n\n');
  });
  app.get('/things', () => ({ items: [] }));
  const server = createServer(app.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const stream = { accept: 'text/event-stream' };
    const events = await fetch(`${url}/events`, { headers: stream });
    assert.equal(events.status, 200);
    assert.equal(await events.text(), 'data: {}\n\n');
    assert.equal((await fetch(`${url}/events`, { headers: { accept: 'text/html' } })).status, 406);
    const things = await fetch(`${url}/things`, { headers: stream });
    assert.equal(things.status, 406);
    assert.equal((await fetch(`${url}/things`)).status, 200);
  } finally {
    server.close();
  }
});
