/** A plain HTTP client for the tests (node:http, no pooling), and an Express upstream that records what it receives. */

import { once } from 'node:events';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

/** An answer as it came off the wire. */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Sends one request on a new connection and reads the whole answer. */
export function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: init.method ?? 'GET',
      headers: init.headers,
      agent: false,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.end(init.body);
  });
}

/** The headers that belong to one connection, or change with every answer (`Date`). */
const NOT_COMPARED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

/** The end-to-end headers of an answer, without those named in `volatile`. */
export function comparable(
  answer: Answer,
  volatile: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (NOT_COMPARED.has(name)) continue;
    out[name] = volatile.has(name) ? '(varies per answer)' : value;
  }
  return out;
}

/** The headers two answers to the same request do not share (ids the upstream generates, MS-CV). */
export function varyingHeaders(a: Answer, b: Answer): Set<string> {
  const names = new Set([...Object.keys(a.headers), ...Object.keys(b.headers)]);
  return new Set(
    [...names].filter(
      (name) => JSON.stringify(a.headers[name]) !== JSON.stringify(b.headers[name]),
    ),
  );
}

/** What the Express upstream received. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A plain Express app, not built with apifault: it answers errors its own way. */
export interface ExpressUpstream {
  url: string;
  received: Received[];
  /** Resolves with the next request the app receives. */
  nextRequest(): Promise<Received>;
  /** Resolves when the next answer of `/endless` (which never ends by itself) is closed. */
  endlessClosed(): Promise<void>;
  close(): Promise<void>;
}

export async function startExpressUpstream(): Promise<ExpressUpstream> {
  const received: Received[] = [];
  let waiting: ((r: Received) => void)[] = [];
  let endlessClosed: (() => void)[] = [];
  const app = express();
  app.set('etag', 'strong');
  app.use((req, _res, next) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = {
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      received.push(entry);
      for (const resolve of waiting) resolve(entry);
      waiting = [];
      next();
    });
  });
  app.get('/hello', (_req, res) => {
    res.setHeader('x-custom', 'one');
    res.append('set-cookie', ['a=1; Path=/', 'b=2; Path=/']);
    res.json({ hello: 'world' });
  });
  app.post('/echo', (req, res) => {
    res.type(req.headers['content-type'] ?? 'application/octet-stream');
    res.send(received.at(-1)?.body ?? Buffer.alloc(0));
  });
  app.get('/hop', (_req, res) => {
    res.setHeader('connection', 'x-hop');
    res.setHeader('x-hop', 'connection-only');
    res.setHeader('proxy-note', 'for the proxy');
    res.setHeader('x-end-to-end', 'kept');
    res.send('hop');
  });
  app.get('/big', (_req, res) => {
    res.type('text/plain').send('x'.repeat(100_000));
  });
  app.get('/no-retry-after', (_req, res) => {
    res.status(429).json({ code: '429', description: 'Slow down.', source: 'express' });
  });
  app.get('/conforming-error', (_req, res) => {
    res
      .status(409)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ code: '409', description: 'Already there.', source: 'express' }));
  });
  app.get('/slow', (_req, res) => {
    setTimeout(() => res.send('late'), 1500).unref();
  });
  app.get('/reset', (req) => {
    req.socket.destroy();
  });
  app.get('/cut', (req, res) => {
    // Promises 1000 bytes, sends 10, then the connection dies.
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
    res.write('0123456789', () => req.socket.destroy());
  });
  app.get('/endless', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => res.write('tick\n'), 10);
    res.once('close', () => {
      clearInterval(timer);
      for (const resolve of endlessClosed) resolve();
      endlessClosed = [];
    });
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    endlessClosed: () => new Promise((resolve) => endlessClosed.push(resolve)),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
