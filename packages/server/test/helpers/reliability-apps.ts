/**
 * One small application per adapter for the reliability suites, each on a real server on
 * 127.0.0.1 with the contract's parser-error handler installed: a read route, a JSON-body
 * route and routes that throw whatever {@link leakyError} builds.
 */

import { createServer, type Server, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import * as expressAdapter from '../../src/adapters/express.js';
import { apifault as fastifyPlugin, serverOptions } from '../../src/adapters/fastify.js';
import { readJson, requestErrorHandler, useApifault } from '../../src/adapters/hono.js';
import {
  type ApifaultOptions,
  createApp,
  installClientErrorHandler,
  validationError,
} from '../../src/index.js';
import { leakyError } from '../fixtures/reliability-leaks.js';
import type { AdapterName } from './servers.js';

/** A running reliability app. */
export interface ReliabilityApp {
  readonly name: AdapterName;
  /** Its loopback port. */
  readonly port: number;
  /** `http://127.0.0.1:port`. */
  readonly url: string;
  /** The node:http server underneath (every adapter here runs on one). */
  readonly server: Server;
  /** Ends every connection and stops listening. */
  close(): Promise<void>;
}

/** The options every reliability app runs with (short body timeout, small body limit). */
export const RELIABILITY_OPTIONS: ApifaultOptions = {
  source: 'Reliability',
  bodyLimit: 64 * 1024,
  bodyTimeoutMs: 400,
};

/** What the JSON-body route does: a JSON object is accepted, anything else is a 400. */
function accept(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationError([{ field: '/', message: 'must be a JSON object' }]);
  }
  return { received: Object.keys(body).length };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

async function nodeApp(options: ApifaultOptions, http: ServerOptions): Promise<ReliabilityApp> {
  const app = createApp(options);
  app.get('/v1/customers/:id', (ctx) => ({ id: ctx.params['id'] }));
  app.post('/v1/customers', async (ctx) => accept(await ctx.json()));
  app.get('/leak/:kind', (ctx) => {
    throw leakyError(ctx.params['kind']!);
  });
  app.get('/leak-async/:kind', async (ctx) => {
    await Promise.resolve();
    throw leakyError(ctx.params['kind']!);
  });
  const server = createServer(http, app.handler);
  installClientErrorHandler(server, options);
  const port = await listen(server);
  return { name: 'node', port, url: `http://127.0.0.1:${port}`, server, close: closer(server) };
}

async function expressApp(options: ApifaultOptions): Promise<ReliabilityApp> {
  const app = express();
  app.use(expressAdapter.apifault(options));
  app.get('/v1/customers/:id', (req, res) => {
    res.json({ id: req.params['id'] });
  });
  app.post('/v1/customers', expressAdapter.json(options), (req, res) => {
    res.json(accept(req.body));
  });
  app.get(
    '/leak/:kind',
    expressAdapter.handle((req) => {
      throw leakyError(String(req.params['kind']));
    }),
  );
  app.get(
    '/leak-async/:kind',
    expressAdapter.handle(async (req) => {
      await Promise.resolve();
      throw leakyError(String(req.params['kind']));
    }),
  );
  app.use(expressAdapter.notFound(options));
  app.use(expressAdapter.errorHandler(options));
  const server = createServer(app);
  installClientErrorHandler(server, options);
  const port = await listen(server);
  return { name: 'express', port, url: `http://127.0.0.1:${port}`, server, close: closer(server) };
}

async function fastifyApp(options: ApifaultOptions): Promise<ReliabilityApp> {
  const app = Fastify({ ...serverOptions(options) });
  await app.register(fastifyPlugin, options);
  app.get<{ Params: { id: string } }>('/v1/customers/:id', async (request) => ({
    id: request.params.id,
  }));
  app.post('/v1/customers', async (request) => accept(request.body));
  app.get<{ Params: { kind: string } }>('/leak/:kind', (request) => {
    throw leakyError(request.params.kind);
  });
  app.get<{ Params: { kind: string } }>('/leak-async/:kind', async (request) => {
    await Promise.resolve();
    throw leakyError(request.params.kind);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server = app.server;
  const port = (server.address() as AddressInfo).port;
  return {
    name: 'fastify',
    port,
    url: `http://127.0.0.1:${port}`,
    server,
    close: async () => {
      server.closeAllConnections();
      await app.close();
    },
  };
}

async function honoApp(options: ApifaultOptions): Promise<ReliabilityApp> {
  const app = new Hono();
  useApifault(app, options);
  app.get('/v1/customers/:id', (c) => c.json({ id: c.req.param('id') }));
  app.post('/v1/customers', async (c) => c.json(accept(await readJson(c)) as object));
  app.get('/leak/:kind', (c) => {
    throw leakyError(c.req.param('kind'));
  });
  app.get('/leak-async/:kind', async (c) => {
    await Promise.resolve();
    throw leakyError(c.req.param('kind'));
  });
  const server = createServer(
    getRequestListener(app.fetch, { errorHandler: requestErrorHandler(options) }),
  );
  await listen(server);
  installClientErrorHandler(server, options);
  const port = (server.address() as AddressInfo).port;
  return { name: 'hono', port, url: `http://127.0.0.1:${port}`, server, close: closer(server) };
}

/**
 * Starts the reliability app of `name` on an ephemeral loopback port; `http` (node:http
 * server options such as `headersTimeout`) applies to the node:http adapter.
 */
export function startReliabilityApp(
  name: AdapterName,
  options: ApifaultOptions = RELIABILITY_OPTIONS,
  http: ServerOptions = {},
): Promise<ReliabilityApp> {
  switch (name) {
    case 'node':
      return nodeApp(options, http);
    case 'express':
      return expressApp(options);
    case 'fastify':
      return fastifyApp(options);
    case 'hono':
      return honoApp(options);
  }
}
