/** The same application on each adapter (node:http, Express, Fastify, Hono), listening on 127.0.0.1. */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import * as expressAdapter from '../../src/adapters/express.js';
import { apifault as fastifyPlugin, serverOptions } from '../../src/adapters/fastify.js';
import { readJson, useApifault } from '../../src/adapters/hono.js';
import { createNodeServer } from '../../src/adapters/hono-node.js';
import { type ApifaultOptions, createApp, installClientErrorHandler } from '../../src/index.js';
import { notImplementedRoute } from '../../src/not-implemented/index.js';
import {
  cached,
  createCustomer,
  mechanism,
  orderTaker,
  patchCustomer,
  thrownFor,
} from './cases.js';

/** A running server. */
export interface Running {
  name: AdapterName;
  url: string;
  close(): Promise<void>;
}

/** The four adapters. */
export type AdapterName = 'node' | 'express' | 'fastify' | 'hono';

/** Every adapter name, in a stable order. */
export const ADAPTERS: readonly AdapterName[] = ['node', 'express', 'fastify', 'hono'];

const TRANSFERS = 'Transfers are not implemented.';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

async function startNode(options: ApifaultOptions): Promise<Running> {
  const app = createApp(options);
  app.get('/v1/customers/:id', (ctx) => ({ id: ctx.params['id'] }));
  app.patch('/v1/customers/:id', (ctx) => patchCustomer(ctx.params['id']!, ctx));
  app.get('/mechanism/:kind', (ctx) => mechanism(ctx.params['kind']!, ctx.headers));
  app.post('/v1/customers', async (ctx) => createCustomer(await ctx.json()));
  const takeOrder = orderTaker();
  app.post('/v1/orders', async (ctx) => {
    const order = await takeOrder(await ctx.json(), ctx.headers['ms-requestid']);
    ctx.status = 201;
    ctx.setHeader('location', order.location);
    return order.body;
  });
  app.notImplemented('POST', '/v1/customers/:id/transfers', TRANSFERS);
  app.get('/secure/data', (ctx) => ctx.principal);
  app.get('/v1/cached', (ctx) => {
    ctx.setHeader('etag', '"v2"');
    const answer = cached(ctx);
    if (answer !== 'not-modified') return answer;
    ctx.status = 304;
    return undefined;
  });
  app.get('/throw/:kind', (ctx) => {
    throw thrownFor(ctx.params['kind']!);
  });
  app.get('/reject/:kind', (ctx) => Promise.reject(thrownFor(ctx.params['kind']!)));
  const server = createServer(app.handler);
  installClientErrorHandler(server, options);
  return { name: 'node', url: await listen(server), close: closer(server) };
}

async function startExpress(options: ApifaultOptions): Promise<Running> {
  const app = expressAdapter.useApifault(express(), options);
  app.get('/v1/customers/:id', (req, res) => {
    res.json({ id: req.params['id'] });
  });
  app.patch('/v1/customers/:id', (req, res) => {
    res.json(patchCustomer(req.params['id']!, req));
  });
  app.get('/mechanism/:kind', async (req, res) => {
    res.json(await mechanism(String(req.params['kind']), req.headers));
  });
  app.post('/v1/customers', expressAdapter.json(options), (req, res) => {
    res.json(createCustomer(req.body));
  });
  const takeOrder = orderTaker();
  app.post(
    '/v1/orders',
    expressAdapter.json(options),
    expressAdapter.handle(async (req, res) => {
      const order = await takeOrder(req.body, req.headers['ms-requestid']);
      res.status(201).location(order.location).json(order.body);
    }),
  );
  app.post('/v1/customers/:id/transfers', notImplementedRoute(TRANSFERS));
  app.get('/secure/data', (_req, res) => {
    res.json((res.locals['apifault'] as expressAdapter.ApifaultLocals).principal);
  });
  app.get('/v1/cached', (req, res) => {
    res.setHeader('etag', '"v2"');
    const answer = cached(req);
    if (answer === 'not-modified') res.status(304).end();
    else res.json(answer);
  });
  app.get(
    '/throw/:kind',
    expressAdapter.handle((req) => {
      throw thrownFor(String(req.params['kind']));
    }),
  );
  app.get(
    '/reject/:kind',
    expressAdapter.handle((req) => Promise.reject(thrownFor(String(req.params['kind'])))),
  );
  app.use(expressAdapter.notFound(options));
  app.use(expressAdapter.errorHandler(options));
  const server = createServer(app);
  installClientErrorHandler(server, options);
  return { name: 'express', url: await listen(server), close: closer(server) };
}

async function startFastify(options: ApifaultOptions): Promise<Running> {
  const app = Fastify({ ...serverOptions(options) });
  await app.register(fastifyPlugin, options);
  app.get<{ Params: { id: string } }>('/v1/customers/:id', async (request) => ({
    id: request.params.id,
  }));
  app.patch<{ Params: { id: string } }>('/v1/customers/:id', async (request) =>
    patchCustomer(request.params.id, request),
  );
  app.get<{ Params: { kind: string } }>('/mechanism/:kind', (request) =>
    mechanism(request.params.kind, request.headers),
  );
  app.post('/v1/customers', async (request) => createCustomer(request.body));
  const takeOrder = orderTaker();
  app.post('/v1/orders', async (request, reply) => {
    const order = await takeOrder(request.body, request.headers['ms-requestid']);
    return reply.code(201).header('location', order.location).send(order.body);
  });
  app.post('/v1/customers/:id/transfers', notImplementedRoute(TRANSFERS));
  app.get('/secure/data', async (request) => request.apifault?.principal);
  app.get('/v1/cached', async (request, reply) => {
    reply.header('etag', '"v2"');
    const answer = cached(request);
    if (answer === 'not-modified') return reply.code(304).send();
    return answer;
  });
  app.get<{ Params: { kind: string } }>('/throw/:kind', (request) => {
    throw thrownFor(request.params.kind);
  });
  app.get<{ Params: { kind: string } }>('/reject/:kind', (request) =>
    Promise.reject(thrownFor(request.params.kind)),
  );
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    name: 'fastify',
    url,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

async function startHono(options: ApifaultOptions): Promise<Running> {
  const app = new Hono();
  useApifault(app, options);
  app.get('/v1/customers/:id', (c) => c.json({ id: c.req.param('id') }));
  app.patch('/v1/customers/:id', (c) =>
    c.json(
      patchCustomer(c.req.param('id'), { method: c.req.method, headers: c.req.header() }) as object,
    ),
  );
  app.get('/mechanism/:kind', async (c) =>
    c.json((await mechanism(c.req.param('kind'), c.req.header())) as object),
  );
  app.post('/v1/customers', async (c) => c.json(createCustomer(await readJson(c)) as object));
  const takeOrder = orderTaker();
  app.post('/v1/orders', async (c) => {
    const order = await takeOrder(await readJson(c), c.req.header('ms-requestid'));
    c.header('location', order.location);
    return c.json(order.body, 201);
  });
  app.post('/v1/customers/:id/transfers', notImplementedRoute(TRANSFERS));
  app.get('/secure/data', (c) =>
    c.json(
      c.get('apifault' as never)
        ? (c.get('apifault' as never) as { principal: object }).principal
        : null,
    ),
  );
  app.get('/v1/cached', (c) => {
    c.header('etag', '"v2"');
    const answer = cached({ method: c.req.method, headers: c.req.header() });
    if (answer === 'not-modified') return c.body(null, 304);
    return c.json(answer);
  });
  app.get('/throw/:kind', (c) => {
    throw thrownFor(c.req.param('kind'));
  });
  app.get('/reject/:kind', (c) => Promise.reject(thrownFor(c.req.param('kind'))));
  const server = await new Promise<Server>((resolve) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: 0,
        hostname: '127.0.0.1',
        createServer: createNodeServer(options),
      },
      () => resolve(s as Server),
    );
  });
  installClientErrorHandler(server, options);
  return {
    name: 'hono',
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: closer(server),
  };
}

/** Starts `name` with `options` on an ephemeral port of 127.0.0.1. */
export function start(name: AdapterName, options: ApifaultOptions): Promise<Running> {
  switch (name) {
    case 'node':
      return startNode(options);
    case 'express':
      return startExpress(options);
    case 'fastify':
      return startFastify(options);
    case 'hono':
      return startHono(options);
  }
}
