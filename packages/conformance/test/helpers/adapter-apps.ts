/**
 * The same customer apps as default-apps.ts, with apifault's adapters installed: what the
 * checker must find nothing wrong with.
 */

import type { AddressInfo } from 'node:net';
import { notFound as customerNotFound, preconditionFailed } from '@apifault/contract';
import type { ApifaultOptions } from '@apifault/server';
import {
  errorHandler,
  apifault as expressApifault,
  notFound as expressNotFound,
  json,
} from '@apifault/server/express';
import fastifyApifault from '@apifault/server/fastify';
import { readJson, useApifault } from '@apifault/server/hono';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { addCustomer, type Customer, collection, createStore, TOKEN } from './customers.js';
import type { RunningApp } from './default-apps.js';

const options: ApifaultOptions = {
  source: 'customers',
  auth: { verify: (token) => (token === TOKEN ? { partner: 'p-1' } : undefined) },
};

function findCustomer(store: Map<string, Customer>, id: string): Customer {
  const customer = store.get(id);
  if (!customer)
    throw customerNotFound({ code: '600', description: `Customer ${id} was not found.` });
  return customer;
}

function update(customer: Customer, ifMatch: string | undefined, body: unknown): Customer {
  if (ifMatch !== customer.attributes.etag) {
    throw preconditionFailed('If-Match does not match the current ETag of the customer.');
  }
  Object.assign(customer.companyProfile, (body as { companyProfile?: object }).companyProfile);
  customer.attributes.etag = `"${Number(customer.attributes.etag.slice(1, -1)) + 1}"`;
  return customer;
}

/** Express 5 with `apifault()`, `json()`, `notFound()` and `errorHandler()`. */
export async function startExpressWithApifault(): Promise<RunningApp> {
  const store = createStore();
  const app = express();
  app.use(expressApifault(options));
  app.get('/v1/customers', (_req, res) => {
    res.json(collection(store));
  });
  app.post('/v1/customers', json(options), (req, res) => {
    res.status(201).json(addCustomer(store, req.body as { companyName?: string }));
  });
  app.get('/v1/customers/:id', (req, res) => {
    res.json(findCustomer(store, String(req.params.id)));
  });
  app.patch('/v1/customers/:id', json(options), (req, res) => {
    res.json(update(findCustomer(store, String(req.params.id)), req.get('if-match'), req.body));
  });
  app.use(expressNotFound(options));
  app.use(errorHandler(options));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Fastify 5 with the apifault plugin registered first. */
export async function startFastifyWithApifault(): Promise<RunningApp> {
  const store = createStore();
  const app = Fastify();
  await app.register(fastifyApifault, options);
  app.get('/v1/customers', async () => collection(store));
  app.post('/v1/customers', async (request, reply) => {
    reply.code(201);
    return addCustomer(store, request.body as { companyName?: string });
  });
  app.get<{ Params: { id: string } }>('/v1/customers/:id', async (request) =>
    findCustomer(store, request.params.id),
  );
  app.patch<{ Params: { id: string } }>('/v1/customers/:id', async (request) =>
    update(findCustomer(store, request.params.id), request.headers['if-match'], request.body),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Hono 4 with `useApifault(app)` and `readJson(c)`. */
export async function startHonoWithApifault(): Promise<RunningApp> {
  const store = createStore();
  const app = new Hono();
  useApifault(app, options);
  app.get('/v1/customers', (c) => c.json(collection(store)));
  app.post('/v1/customers', async (c) =>
    c.json(addCustomer(store, await readJson<{ companyName?: string }>(c)), 201),
  );
  app.get('/v1/customers/:id', (c) => c.json(findCustomer(store, c.req.param('id'))));
  app.patch('/v1/customers/:id', async (c) => {
    const customer = findCustomer(store, c.req.param('id'));
    return c.json(update(customer, c.req.header('if-match'), await readJson(c)));
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
