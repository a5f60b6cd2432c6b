/**
 * Small apps of Express 5, Fastify 5 and Hono 4 written the way their docs show, with the
 * frameworks' own error handling and no apifault: what the checker must find fault with.
 */

import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { addCustomer, collection, createStore, TOKEN } from './customers.js';

/** A running app. */
export interface RunningApp {
  baseUrl: string;
  close(): Promise<void>;
}

/** Express 5: `express.json()`, a hand-written bearer check, finalhandler's 404 and error pages. */
export async function startDefaultExpress(): Promise<RunningApp> {
  const store = createStore();
  const app = express();
  // 'test' keeps Express's development error pages (stack included) without logging them.
  app.set('env', 'test');
  app.use(express.json());
  app.use('/v1', (req, res, next) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.sendStatus(401);
      return;
    }
    next();
  });
  app.get('/v1/customers', (_req, res) => {
    res.json(collection(store));
  });
  app.post('/v1/customers', (req, res) => {
    const { companyName } = req.body as { companyName?: string };
    res.status(201).json(addCustomer(store, { companyName }));
  });
  app.get('/v1/customers/:id', (req, res) => {
    const customer = store.get(String(req.params.id));
    if (!customer) {
      res.sendStatus(404);
      return;
    }
    res.json(customer);
  });
  app.patch('/v1/customers/:id', (req, res) => {
    const customer = store.get(String(req.params.id));
    if (!customer) {
      res.sendStatus(404);
      return;
    }
    Object.assign(
      customer.companyProfile,
      (req.body as { companyProfile?: object }).companyProfile,
    );
    res.json(customer);
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Fastify 5: its JSON parser, an `onRequest` hook throwing a 401, its default error handler. */
export async function startDefaultFastify(): Promise<RunningApp> {
  const store = createStore();
  const app = Fastify();
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/v1/') && request.headers.authorization !== `Bearer ${TOKEN}`) {
      throw Object.assign(new Error('Unauthorized'), { statusCode: 401 });
    }
  });
  app.get('/v1/customers', async () => collection(store));
  app.post('/v1/customers', async (request, reply) => {
    const body = request.body as { companyName?: string };
    reply.code(201);
    return addCustomer(store, { companyName: body.companyName });
  });
  app.get<{ Params: { id: string } }>('/v1/customers/:id', async (request, reply) => {
    const customer = store.get(request.params.id);
    if (!customer) return reply.callNotFound();
    return customer;
  });
  app.patch<{ Params: { id: string } }>('/v1/customers/:id', async (request, reply) => {
    const customer = store.get(request.params.id);
    if (!customer) return reply.callNotFound();
    Object.assign(
      customer.companyProfile,
      (request.body as { companyProfile?: object }).companyProfile,
    );
    return customer;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Hono 4 on @hono/node-server: `bearerAuth`, `c.req.json()`, the default notFound and onError. */
export async function startDefaultHono(): Promise<RunningApp> {
  const store = createStore();
  const app = new Hono();
  app.use('/v1/*', bearerAuth({ token: TOKEN }));
  app.get('/v1/customers', (c) => c.json(collection(store)));
  app.post('/v1/customers', async (c) => {
    const body = await c.req.json<{ companyName?: string }>();
    return c.json(addCustomer(store, body), 201);
  });
  app.get('/v1/customers/:id', (c) => {
    const customer = store.get(c.req.param('id'));
    return customer ? c.json(customer) : c.notFound();
  });
  app.patch('/v1/customers/:id', async (c) => {
    const customer = store.get(c.req.param('id'));
    if (!customer) return c.notFound();
    const body = await c.req.json<{ companyProfile?: object }>();
    Object.assign(customer.companyProfile, body.companyProfile);
    return c.json(customer);
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
