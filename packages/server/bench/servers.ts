/** A benchmark server, run in its own process: `node … servers.ts <variant>`; reports its port over IPC. */

import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '@apifault/server';
import * as ex from '@apifault/server/express';
import { apifault as fastifyPlugin, serverOptions } from '@apifault/server/fastify';
import { useApifault } from '@apifault/server/hono';
import { createNodeServer } from '@apifault/server/hono/node';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import createHttpError from 'http-errors';

/**
 * The servers the benchmarks compare. `*-native` are each framework's own idiom (its default
 * or customary error reply, fewer headers than the contract asks for); `*-same-bytes` are the
 * same framework sending, by hand through its own API, the status, headers and body the
 * adapter sends (ids on every response, the four contract headers on errors).
 */
export const VARIANTS = [
  'node-handwritten',
  'node-apifault',
  'express-native',
  'express-same-bytes',
  'express-apifault',
  'fastify-native',
  'fastify-same-bytes',
  'fastify-apifault',
  'hono-native',
  'hono-same-bytes',
  'hono-apifault',
  'hono-noop-middleware',
] as const;

/** A benchmark server variant. */
export type Variant = (typeof VARIANTS)[number];

const SOURCE = 'bench';
const OK = { id: 'c-1', companyName: 'Contoso' };
const ERROR_TYPE = 'application/json; charset=utf-8';
const NOT_FOUND_BODY = {
  code: '404',
  description: 'The requested resource was not found.',
  source: SOURCE,
};
const SERVER_ERROR_BODY = {
  code: '500',
  description: 'The service met an unexpected error. Retry later.',
  source: SOURCE,
};

const NOT_FOUND_JSON = JSON.stringify(NOT_FOUND_BODY);
const SERVER_ERROR_JSON = JSON.stringify(SERVER_ERROR_BODY);

/** The headers of a contract error response, written by hand: what a same-bytes peer sends. */
function errorHeaders(): Record<string, string> {
  return {
    'content-type': ERROR_TYPE,
    'x-content-type-options': 'nosniff',
    'ms-requestid': randomUUID(),
    'ms-correlationid': randomUUID(),
    'cache-control': 'no-store',
  };
}

function fail(): never {
  throw new Error('boom');
}

async function start(variant: Variant): Promise<Server> {
  switch (variant) {
    case 'node-handwritten':
      // The same response the adapter sends (contract headers, ids), written by hand.
      return createServer((req, res) => {
        const requestId = randomUUID();
        const correlationId = randomUUID();
        if (req.url === '/ok') {
          res.writeHead(200, {
            'content-type': ERROR_TYPE,
            'ms-requestid': requestId,
            'ms-correlationid': correlationId,
          });
          res.end(JSON.stringify(OK));
          return;
        }
        const headers = {
          'content-type': ERROR_TYPE,
          'x-content-type-options': 'nosniff',
          'ms-requestid': requestId,
          'ms-correlationid': correlationId,
          'cache-control': 'no-store',
        };
        try {
          if (req.url === '/throw') fail();
          res.writeHead(404, headers);
          res.end(JSON.stringify(NOT_FOUND_BODY));
        } catch {
          res.writeHead(500, headers);
          res.end(JSON.stringify(SERVER_ERROR_BODY));
        }
      });
    case 'node-apifault': {
      const app = createApp({ source: SOURCE });
      app.get('/ok', () => OK);
      app.get('/throw', fail);
      return createServer(app.handler);
    }
    case 'express-native': {
      const app = express();
      app.get('/ok', (_req, res) => {
        res.json(OK);
      });
      app.get('/throw', fail);
      app.use((_req, _res, next) => next(createHttpError(404)));
      app.use(
        (
          err: { status?: number; expose?: boolean; message: string },
          _req: express.Request,
          res: express.Response,
          _next: express.NextFunction,
        ) => {
          const status = err.status ?? 500;
          res.status(status).json({
            code: String(status),
            description: err.expose ? err.message : 'Internal Server Error',
            source: SOURCE,
          });
        },
      );
      return createServer(app);
    }
    case 'express-same-bytes': {
      const app = express();
      app.get('/ok', (_req, res) => {
        res.set({ 'ms-requestid': randomUUID(), 'ms-correlationid': randomUUID() }).json(OK);
      });
      app.get('/throw', fail);
      app.use((_req, res) => {
        res.status(404).set(errorHeaders()).send(NOT_FOUND_JSON);
      });
      app.use(
        (
          _err: unknown,
          _req: express.Request,
          res: express.Response,
          _next: express.NextFunction,
        ) => {
          res.status(500).set(errorHeaders()).send(SERVER_ERROR_JSON);
        },
      );
      return createServer(app);
    }
    case 'express-apifault': {
      const app = ex.useApifault(express(), { source: SOURCE });
      app.get('/ok', (_req, res) => {
        res.json(OK);
      });
      app.get('/throw', fail);
      app.use(ex.notFound({ source: SOURCE }));
      app.use(ex.errorHandler({ source: SOURCE }));
      return createServer(app);
    }
    case 'fastify-native':
    case 'fastify-apifault': {
      const options = { source: SOURCE };
      const app = Fastify(variant === 'fastify-apifault' ? { ...serverOptions(options) } : {});
      if (variant === 'fastify-apifault') await app.register(fastifyPlugin, options);
      app.get('/ok', async () => OK);
      app.get('/throw', async () => fail());
      await app.ready();
      return app.server;
    }
    case 'fastify-same-bytes': {
      const app = Fastify();
      app.get('/ok', async (_request, reply) => {
        reply.header('ms-requestid', randomUUID()).header('ms-correlationid', randomUUID());
        return OK;
      });
      app.get('/throw', async () => fail());
      app.setNotFoundHandler((_request, reply) => {
        reply.code(404).headers(errorHeaders()).send(NOT_FOUND_JSON);
      });
      app.setErrorHandler((_error, _request, reply) => {
        reply.code(500).headers(errorHeaders()).send(SERVER_ERROR_JSON);
      });
      await app.ready();
      return app.server;
    }
    case 'hono-same-bytes': {
      const app = new Hono();
      app.get('/ok', (c) =>
        c.json(OK, 200, { 'ms-requestid': randomUUID(), 'ms-correlationid': randomUUID() }),
      );
      app.get('/throw', fail);
      app.notFound((c) => c.body(NOT_FOUND_JSON, 404, errorHeaders()));
      app.onError((_error, c) => c.body(SERVER_ERROR_JSON, 500, errorHeaders()));
      return serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    }
    case 'hono-native':
    case 'hono-noop-middleware':
    case 'hono-apifault': {
      const app = new Hono();
      // Hono's own idiom plus one middleware that does nothing: what any middleware costs.
      if (variant === 'hono-noop-middleware') app.use('*', (_c, next) => next());
      if (variant === 'hono-apifault') {
        useApifault(app, { source: SOURCE });
      } else {
        app.onError((err, c) =>
          err instanceof HTTPException ? err.getResponse() : c.json(SERVER_ERROR_BODY, 500),
        );
        app.notFound(() => {
          throw new HTTPException(404, { message: 'Not Found' });
        });
      }
      app.get('/ok', (c) => c.json(OK));
      app.get('/throw', fail);
      // The adapter runs as its README shows: on Node, through createNodeServer.
      return serve({
        fetch: app.fetch,
        port: 0,
        hostname: '127.0.0.1',
        ...(variant === 'hono-apifault'
          ? { createServer: createNodeServer({ source: SOURCE }) }
          : {}),
      }) as Server;
    }
  }
}

const variant = process.argv[2] as Variant;
if (!VARIANTS.includes(variant)) {
  process.stderr.write(`unknown variant ${variant}\n`);
  process.exit(2);
}
const server = await start(variant);
const report = () => process.send?.({ port: (server.address() as AddressInfo).port });
if (server.listening) report();
else if (variant.startsWith('hono')) server.once('listening', report);
else server.listen(0, '127.0.0.1', report);
// The load generator asks for this process's CPU time around each run: server cost per
// request, whatever the load generator's own speed.
process.on('message', (message) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
  }
});
process.on('disconnect', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
