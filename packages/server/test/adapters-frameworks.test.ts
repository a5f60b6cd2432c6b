/** Express, Fastify and Hono specifics: nested routers and prefixes for 405, native errors, isolation of entries. */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import createHttpError from 'http-errors';
import * as ex from '../src/adapters/express.js';
import { apifault as fastifyPlugin } from '../src/adapters/fastify.js';
import { useApifault } from '../src/adapters/hono.js';
import { send } from './helpers/http.js';

const closers: (() => Promise<void>)[] = [];
after(async () => {
  await Promise.all(closers.map((c) => c()));
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(
    () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('Express', () => {
  test('405 + Allow through a mounted router; http-errors and express.json errors mapped', async () => {
    const app = express();
    app.use(ex.apifault({ source: 'ex' }));
    const router = express.Router();
    router.get('/items/:id', (_req, res) => {
      res.json({});
    });
    router.put('/items/:id', (_req, res) => {
      res.json({});
    });
    app.use('/v2', router);
    app.post('/parsed', express.json({ limit: 10 }), (_req, res) => {
      res.json({});
    });
    app.get('/http-error', () => {
      throw createHttpError(404, 'No such widget');
    });
    app.use(ex.notFound({ source: 'ex' }));
    app.use(ex.errorHandler({ source: 'ex' }));
    const base = await listen(createServer(app));
    const got = await send(base, { method: 'DELETE', path: '/v2/items/1' });
    assert.equal(got.status, 405);
    assert.equal(got.headers['allow'], 'GET, HEAD, PUT');
    assert.equal((await send(base, { method: 'GET', path: '/v2/nothing' })).status, 404);
    const widget = await send(base, { method: 'GET', path: '/http-error' });
    assert.deepEqual(widget.json, { code: '404', description: 'No such widget', source: 'ex' });
    const headers = { 'content-type': 'application/json' };
    const broken = await send(base, { method: 'POST', path: '/parsed', headers, body: '{x' });
    assert.equal(broken.status, 400);
    assert.match(
      (broken.json as { description: string }).description,
      /^The request body is not valid JSON/,
    );
    const big = await send(base, {
      method: 'POST',
      path: '/parsed',
      headers,
      body: '"aaaaaaaaaaaaaaaa"',
    });
    assert.equal(big.status, 413);
  });

  test('an error after the response started: connection cut, no second response', async () => {
    const app = express();
    app.get('/stream', (_req, res, next) => {
      res.write('partial');
      setTimeout(() => next(new Error('late')), 10);
    });
    app.use(ex.errorHandler());
    const base = await listen(createServer(app));
    await assert.rejects(send(base, { method: 'GET', path: '/stream' }));
  });
});

describe('Fastify', () => {
  test('405 + Allow for routes in a prefixed child plugin; schema validation 400 with data', async () => {
    const app = Fastify();
    await app.register(fastifyPlugin, { source: 'fy' });
    await app.register(
      async (child) => {
        child.get('/items/:id', async () => ({}));
        child.post(
          '/items',
          {
            schema: {
              body: {
                type: 'object',
                required: ['name'],
                properties: { name: { type: 'string' } },
              },
            },
          },
          async () => ({}),
        );
      },
      { prefix: '/v2' },
    );
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(async () => {
      app.server.closeAllConnections();
      await app.close();
    });
    const got = await send(base, { method: 'PATCH', path: '/v2/items/1' });
    assert.equal(got.status, 405);
    assert.equal(got.headers['allow'], 'GET, HEAD');
    const invalid = await send(base, {
      method: 'POST',
      path: '/v2/items',
      headers: { 'content-type': 'application/json' },
      body: '{"nom": "x"}',
    });
    assert.equal(invalid.status, 400);
    assert.deepEqual((invalid.json as { data: unknown[] }).data, [
      { field: '/name', message: "must have required property 'name'" },
    ]);
  });
});

describe('Hono', () => {
  test('405 + Allow through app.route sub-apps; HTTPException rendered', async () => {
    const app = new Hono();
    useApifault(app, { source: 'hn' });
    const sub = new Hono();
    sub.get('/items/:id', (c) => c.json({}));
    sub.delete('/items/:id', (c) => c.json({}));
    app.route('/v2', sub);
    app.get('/teapot', () => {
      throw new HTTPException(418, { message: 'short and stout' });
    });
    const server = await new Promise<Server>((r) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => r(s as Server));
    });
    closers.push(
      () =>
        new Promise((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    );
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const got = await send(base, { method: 'POST', path: '/v2/items/1' });
    assert.equal(got.status, 405);
    assert.equal(got.headers['allow'], 'DELETE, GET, HEAD');
    const tea = await send(base, { method: 'GET', path: '/teapot' });
    assert.deepEqual(tea.json, { code: '418', description: 'short and stout', source: 'hn' });
  });
});

describe('entry points', () => {
  const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
  const IMPORT = /^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm;

  function graph(entry: string): Set<string> {
    const seen = new Set<string>();
    const modules = new Set<string>();
    const stack = [resolve(src, entry)];
    while (stack.length > 0) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        if (spec!.startsWith('.'))
          stack.push(resolve(dirname(file), spec!.replace(/\.js$/, '.ts')));
        else modules.add(spec!);
      }
    }
    return modules;
  }

  test('the main entry loads no framework', () => {
    const modules = [...graph('index.ts')];
    for (const framework of ['express', 'fastify', 'hono']) {
      assert.ok(
        !modules.some((m) => m === framework || m.startsWith(`${framework}/`)),
        modules.join(),
      );
    }
  });

  test('the Hono adapter uses Web APIs only (no node: import)', () => {
    const modules = [...graph('adapters/hono.ts')];
    assert.deepEqual(
      modules.filter((m) => m.startsWith('node:')),
      [],
    );
  });
});
