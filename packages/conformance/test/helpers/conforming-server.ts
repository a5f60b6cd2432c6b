/**
 * A hand-written node:http API that follows the contract with nothing but
 * @apifault/contract: the yardstick the checker must find nothing wrong with.
 */

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ApiError,
  badRequest,
  ERROR_CONTENT_TYPE,
  isApiError,
  methodNotAllowed,
  notAcceptable,
  notFound,
  preconditionFailed,
  tooManyRequests,
  unauthorized,
} from '@apifault/contract';
import { addCustomer, collection, createStore, TOKEN } from './customers.js';
import type { RunningApp } from './default-apps.js';

/** Options of {@link startConformingServer}. */
export interface ConformingOptions {
  /** Requests allowed before 429 answers start. @default Infinity */
  rateLimit?: number;
}

function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept
    .split(',')
    .map((part) => part.split(';')[0]!.trim().toLowerCase())
    .some((type) => type === 'application/json' || type === 'application/*' || type === '*/*');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': ERROR_CONTENT_TYPE });
  res.end(JSON.stringify(value));
}

function sendError(res: ServerResponse, error: ApiError): void {
  res.writeHead(error.status, { ...error.headers, 'Content-Type': ERROR_CONTENT_TYPE });
  res.end(JSON.stringify(error.toBody({ source: 'conformance-fixture' })));
}

/** Starts the API on 127.0.0.1 with an ephemeral port; `/openapi.json` serves the fixture document. */
export async function startConformingServer(
  options: ConformingOptions = {},
  openapi?: string,
): Promise<RunningApp> {
  const store = createStore();
  let served = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (url.pathname === '/openapi.json' && openapi) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(openapi);
      return;
    }
    if (!url.pathname.startsWith('/v1/')) throw notFound(`No route matches ${url.pathname}.`);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      throw unauthorized({
        error: req.headers.authorization ? 'invalid_token' : 'invalid_request',
      });
    }
    served++;
    if (served > (options.rateLimit ?? Number.POSITIVE_INFINITY)) {
      throw tooManyRequests({ retryAfter: 30 });
    }
    const item = /^\/v1\/customers\/([^/]+)$/.exec(url.pathname);
    const allow = url.pathname === '/v1/customers' ? ['GET', 'POST'] : item ? ['GET', 'PATCH'] : [];
    if (allow.length === 0) throw notFound(`No route matches ${url.pathname}.`);
    if (!allow.includes(method) && !(method === 'HEAD' && allow.includes('GET'))) {
      throw methodNotAllowed({ allow });
    }
    if (!acceptsJson(req.headers.accept)) throw notAcceptable('Only application/json is served.');
    let body: Record<string, unknown> | undefined;
    if (method === 'POST' || method === 'PATCH') {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') throw badRequest('The body must be application/json.');
      try {
        body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      } catch {
        throw badRequest('The body is not valid JSON.');
      }
    }
    if (!item) {
      if (method === 'GET') return sendJson(res, 200, collection(store));
      return sendJson(res, 201, addCustomer(store, body as { companyName?: string }));
    }
    const customer = store.get(decodeURIComponent(item[1]!));
    if (!customer) throw notFound({ code: '600', description: 'The customer was not found.' });
    if (method === 'PATCH') {
      if (req.headers['if-match'] !== customer.attributes.etag) {
        throw preconditionFailed('If-Match does not match the current ETag.');
      }
      customer.attributes.etag = `"${Number(customer.attributes.etag.slice(1, -1)) + 1}"`;
    }
    sendJson(res, 200, customer);
  };
  const server = createServer((req, res) => {
    res.setHeader('MS-RequestId', String(req.headers['ms-requestid'] ?? randomUUID()));
    res.setHeader('MS-CorrelationId', String(req.headers['ms-correlationid'] ?? randomUUID()));
    handle(req, res).catch((error: unknown) => {
      if (isApiError(error)) return sendError(res, error);
      res.writeHead(500, { 'Content-Type': ERROR_CONTENT_TYPE });
      res.end(JSON.stringify({ code: '500', description: 'Internal error.', source: 'fixture' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
