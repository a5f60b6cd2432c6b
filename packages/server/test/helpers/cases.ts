/** THE shared case table: every status the adapters produce, plus the bad-input rows; run against all four adapters. */

import { ApiError, badRequest, tooManyRequests } from '@apifault/contract';
import {
  callUpstream,
  checkPreconditions,
  conflictError,
  createRateLimiter,
  maintenance,
  validationError,
  withDeadline,
} from '../../src/index.js';
import type { RawRequest } from './http.js';

/** The options every adapter of the table runs with. */
export const CASE_OPTIONS = {
  source: 'CaseTable',
  realm: 'urn:cpsvc:cpid:case',
  bodyLimit: 65_536,
  bodyTimeoutMs: 300,
  idempotency: true,
  auth: {
    verify: (token: string) => (token === 'good' || token === 'limited' ? { user: token } : null),
    authorize: (principal: unknown) => (principal as { user: string }).user !== 'limited',
    skip: (request: { path: string }) => !request.path.startsWith('/secure'),
  },
};

let big: string | undefined;
/** A 10 MB description, built once. */
function bigDescription(): string {
  big ??= 'x'.repeat(10 * 1024 * 1024);
  return big;
}

/** Values a property test registers for `GET /throw/hostile-<n>`: anything at all, to throw. */
export const hostileValues = new Map<string, unknown>();

/** What `GET /throw/:kind` throws, identical in every adapter. */
export function thrownFor(kind: string): unknown {
  if (hostileValues.has(kind)) return hostileValues.get(kind);
  switch (kind) {
    case 'null':
      return null;
    case 'undefined':
      return undefined;
    case 'string':
      return 'secret internal string';
    case 'plain':
      return new Error('secret internal message at db.query');
    case 'circular': {
      const value: Record<string, unknown> = { message: 'secret' };
      value['self'] = value;
      return value;
    }
    case 'big':
      return badRequest(bigDescription());
    case 'non-ascii':
      return badRequest('Données invalides : « 顧客 » 😀 incomplet.');
    case 'crlf':
      return new ApiError({
        status: 400,
        description: 'Header injection attempt.',
        headers: { 'X-Debug': 'a\r\nSet-Cookie: pwned=1', 'Bad Name': 'x' },
      });
    case 'conflict':
      return conflictError({
        resource: { objectType: 'Customer', id: 'c-1', field: 'domain', value: 'contoso.com' },
      });
    case 'too-many':
      return tooManyRequests({ retryAfter: 7 });
    case 'server-described':
      return new ApiError({ status: 500, description: 'secret: connection string leaked' });
    default:
      return new Error(`unknown kind ${kind}`);
  }
}

/** Where the upstream of the 502/504 rows listens; set by the test before the servers start. */
export const upstream = { url: '' };

const inMaintenance = maintenance({ enabled: true, retryAfter: 30 });

/** One request per tenant per hour; the test exhausts tenant `flood` before the rows run. */
export const limiter = createRateLimiter({
  store: 'memory',
  failure: 'open',
  policies: [
    {
      name: 'tenant',
      key: (req) => req.headers['x-tenant'] as string | undefined,
      windows: [{ limit: 1, windowSeconds: 3600 }],
    },
  ],
});

/**
 * What `GET /mechanism/:kind` does, identical in every adapter: the other mechanisms of the
 * package, called for real (upstream calls go to a real server on 127.0.0.1).
 */
export async function mechanism(
  kind: string,
  headers: Record<string, string | string[] | undefined> = {},
): Promise<unknown> {
  switch (kind) {
    case 'rate-limited':
      await limiter.consume({ method: 'GET', path: '/mechanism/rate-limited', headers });
      return { admitted: true };
    case 'bad-gateway':
      return callUpstream(`${upstream.url}/garbage`, { name: 'billing', timeoutMs: 2000 });
    case 'upstream-timeout':
      return callUpstream(`${upstream.url}/hang`, { name: 'billing', timeoutMs: 100 });
    case 'deadline':
      return withDeadline(
        100,
        (signal) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      );
    case 'maintenance':
      inMaintenance();
      return { unreachable: true };
    default:
      throw thrownFor(kind);
  }
}

/** What `PATCH /v1/customers/:id` does: the current ETag is `"v2"`. */
export function patchCustomer(
  id: string,
  request: { method: string; headers: Record<string, string | string[] | undefined> },
): unknown {
  checkPreconditions(request, { etag: '"v2"' }, { require: true });
  return { id };
}

/** What `GET /v1/cached` does: 304 when `If-None-Match` names the current ETag `"v2"`. */
export function cached(request: {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}): 'not-modified' | { fresh: true } {
  return checkPreconditions(request, { etag: '"v2"' }) === 'not-modified'
    ? 'not-modified'
    : { fresh: true };
}

/** What `POST /v1/customers` does with the body it read, identical in every adapter. */
export function createCustomer(body: unknown): unknown {
  const name = (body as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string') throw validationError([{ field: '/name', message: 'is required' }]);
  return { id: 'c-1', name };
}

/** The answer of `POST /v1/orders`: each adapter writes it as a 201 with `Location`. */
export interface OrderAnswer {
  location: string;
  body: { id: string; item: unknown };
}

/**
 * What `POST /v1/orders` does on one server, identical in every adapter: the n-th run creates
 * order `o-n`, so a replay shows in the id. `{"failOnce": true}` fails the first run of an
 * `MS-RequestId` with a 500; `{"waitMs": n}` answers after n ms.
 */
export function orderTaker(): (body: unknown, requestId: unknown) => Promise<OrderAnswer> {
  let runs = 0;
  const failed = new Set<unknown>();
  return async (body, requestId) => {
    const input = (body ?? {}) as { item?: unknown; failOnce?: boolean; waitMs?: number };
    if (input.failOnce === true && !failed.has(requestId)) {
      failed.add(requestId);
      throw new Error('secret: the first run fails');
    }
    if (typeof input.waitMs === 'number') {
      await new Promise((resolve) => setTimeout(resolve, input.waitMs));
    }
    runs++;
    return { location: `/v1/orders/o-${runs}`, body: { id: `o-${runs}`, item: input.item } };
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** One row: a request and what every adapter must answer. */
export interface Case {
  name: string;
  request: RawRequest;
  status: number;
  /** Response headers that must have exactly this value (or match), lower-case names. */
  headers?: Record<string, string | RegExp | undefined>;
  /** Headers that may differ between adapters (a clock-derived Retry-After). */
  varying?: string[];
  /** The exact body, when known. */
  body?: unknown;
  /** Strings the body must never contain. */
  bodyExcludes?: string[];
  /** Extra checks on the parsed body. */
  check?: (body: Record<string, unknown>) => void;
}

const json = { 'content-type': 'application/json' };
const SRC = 'CaseTable';

/** The table. */
export const CASES: Case[] = [
  {
    name: '200 through every mechanism, the parameter percent-decoded',
    request: { method: 'GET', path: '/v1/customers/c%201', headers: { 'ms-requestid': 'req-1' } },
    status: 200,
    headers: { 'ms-requestid': 'req-1', 'ms-correlationid': UUID },
    body: { id: 'c 1' },
  },
  {
    name: '400 malformed JSON',
    request: { method: 'POST', path: '/v1/customers', headers: json, body: '{"name": "x",' },
    status: 400,
    check: (b) => {
      if (!String(b['description']).startsWith('The request body is not valid JSON: ')) {
        throw new Error(`description: ${b['description']}`);
      }
    },
  },
  {
    name: '400 wrong content type',
    request: {
      method: 'POST',
      path: '/v1/customers',
      headers: { 'content-type': 'text/plain' },
      body: 'name=x',
    },
    status: 400,
    body: {
      code: 'UnsupportedContentType',
      description:
        'The request body must be application/json (or a +json type); the request has Content-Type "text/plain".',
      source: SRC,
    },
  },
  {
    name: '400 empty JSON body',
    request: {
      method: 'POST',
      path: '/v1/customers',
      headers: { ...json, 'content-length': '0' },
    },
    status: 400,
    body: {
      code: 'InvalidJson',
      description: 'The request body is empty; a JSON value is required.',
      source: SRC,
    },
  },
  {
    name: '400 deeply nested JSON (10 000 levels) is parsed, not a crash',
    request: {
      method: 'POST',
      path: '/v1/customers',
      headers: json,
      body: `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
    },
    status: 400,
    body: {
      code: 'ValidationFailed',
      description: 'The request is not valid: /name is required.',
      data: [{ field: '/name', message: 'is required' }],
      source: SRC,
    },
  },
  {
    name: '400 validation failure with per-field data',
    request: { method: 'POST', path: '/v1/customers', headers: json, body: '{"nom":"x"}' },
    status: 400,
    body: {
      code: 'ValidationFailed',
      description: 'The request is not valid: /name is required.',
      data: [{ field: '/name', message: 'is required' }],
      source: SRC,
    },
  },
  {
    name: '201-ish success with a JSON body',
    request: { method: 'POST', path: '/v1/customers', headers: json, body: '{"name":"Contoso"}' },
    status: 200,
    body: { id: 'c-1', name: 'Contoso' },
  },
  {
    name: '413 body over the limit (declared length)',
    request: {
      method: 'POST',
      path: '/v1/customers',
      headers: { ...json, 'content-length': '100000' },
      body: '{"name":"',
      hold: true,
    },
    status: 413,
    headers: { connection: 'close' },
    body: {
      code: 'PayloadTooLarge',
      description: 'The request body is larger than the limit of 65536 bytes.',
      source: SRC,
    },
  },
  {
    name: '408 body not received in time',
    request: {
      method: 'POST',
      path: '/v1/customers',
      headers: { ...json, 'content-length': '20' },
      body: '{"na',
      hold: true,
    },
    status: 408,
    headers: { connection: 'close' },
    body: {
      code: 'RequestTimeout',
      description: 'The request body was not received within 300 ms.',
      source: SRC,
    },
  },
  {
    name: '401 missing token: the bare documented challenge',
    request: { method: 'GET', path: '/secure/data' },
    status: 401,
    headers: { 'www-authenticate': 'OAuth realm=urn:cpsvc:cpid:case' },
  },
  {
    name: '401 malformed Authorization',
    request: {
      method: 'GET',
      path: '/secure/data',
      headers: { authorization: 'Basic Zm9vOmJhcg==' },
    },
    status: 401,
    headers: {
      'www-authenticate':
        'OAuth realm=urn:cpsvc:cpid:case, error="invalid_request", error_description="The Authorization header must be \\"Bearer <token>\\"."',
    },
  },
  {
    name: '401 rejected token',
    request: { method: 'GET', path: '/secure/data', headers: { authorization: 'Bearer nope' } },
    status: 401,
    headers: {
      'www-authenticate':
        'OAuth realm=urn:cpsvc:cpid:case, error="invalid_token", error_description="The bearer token is not valid."',
    },
    body: { code: '401', description: 'The bearer token is not valid.', source: SRC },
  },
  {
    name: '403 authenticated but not allowed',
    request: { method: 'GET', path: '/secure/data', headers: { authorization: 'Bearer limited' } },
    status: 403,
    body: {
      code: '403',
      description: 'The caller is not allowed to perform this operation.',
      source: SRC,
    },
  },
  {
    name: '200 authenticated and allowed',
    request: { method: 'GET', path: '/secure/data', headers: { authorization: 'Bearer good' } },
    status: 200,
    body: { user: 'good' },
  },
  {
    name: '404 unknown route',
    request: { method: 'GET', path: '/v1/nothing-here?x=1' },
    status: 404,
    body: { code: '404', description: 'The requested resource was not found.', source: SRC },
  },
  {
    name: '404 localized from X-Locale',
    request: { method: 'GET', path: '/v1/nothing-here', headers: { 'x-locale': 'fr-FR' } },
    status: 404,
    body: { code: '404', description: 'La ressource demandée est introuvable.', source: SRC },
  },
  {
    name: '404 localized from Accept-Language',
    request: {
      method: 'GET',
      path: '/v1/nothing-here',
      headers: { 'accept-language': 'de;q=1, fr-CA;q=0.8' },
    },
    status: 404,
    body: { code: '404', description: 'La ressource demandée est introuvable.', source: SRC },
  },
  {
    name: '405 with Allow of the methods really registered (HEAD implied)',
    request: { method: 'DELETE', path: '/v1/customers/c-1' },
    status: 405,
    headers: { allow: 'GET, HEAD, PATCH' },
    body: { code: '405', description: 'The method is not allowed on this resource.', source: SRC },
  },
  {
    name: '405 on a static path',
    request: { method: 'PUT', path: '/v1/customers' },
    status: 405,
    headers: { allow: 'POST' },
  },
  {
    name: '406 Accept excludes JSON',
    request: { method: 'GET', path: '/v1/customers/c-1', headers: { accept: 'text/html' } },
    status: 406,
  },
  {
    name: '406 application/json;q=0 is an exclusion',
    request: {
      method: 'GET',
      path: '/v1/customers/c-1',
      headers: { accept: 'application/json;q=0, */*' },
    },
    status: 406,
  },
  {
    name: '409 conflict with the resource in data',
    request: { method: 'GET', path: '/throw/conflict' },
    status: 409,
    check: (b) => {
      const data = b['data'] as { objectType?: string; id?: string }[];
      if (data?.[0]?.objectType !== 'Customer' || data[0].id !== 'c-1') {
        throw new Error(`data: ${JSON.stringify(data)}`);
      }
    },
  },
  {
    name: '412 If-Match does not match the current ETag',
    request: { method: 'PATCH', path: '/v1/customers/c-1', headers: { 'if-match': '"v1"' } },
    status: 412,
  },
  {
    name: '412 If-Match required on the update',
    request: { method: 'PATCH', path: '/v1/customers/c-1' },
    status: 412,
  },
  {
    name: '200 If-Match matches',
    request: { method: 'PATCH', path: '/v1/customers/c-1', headers: { 'if-match': '"v2"' } },
    status: 200,
    body: { id: 'c-1' },
  },
  {
    name: '429 with Retry-After',
    request: { method: 'GET', path: '/throw/too-many' },
    status: 429,
    headers: { 'retry-after': '7' },
  },
  {
    name: '429 from the rate limiter, with Retry-After and RateLimit headers',
    request: { method: 'GET', path: '/mechanism/rate-limited', headers: { 'x-tenant': 'flood' } },
    status: 429,
    headers: {
      'retry-after': /^3[56]\d\d$/,
      'ratelimit-policy': '"tenant";q=1;w=3600',
      ratelimit: /^"tenant";r=0;t=\d+$/,
    },
    varying: ['retry-after'],
  },
  {
    name: '405 for OPTIONS too: not answered automatically',
    request: { method: 'OPTIONS', path: '/v1/customers/c-1' },
    status: 405,
    headers: { allow: 'GET, HEAD, PATCH' },
  },
  {
    name: 'HEAD is answered by the GET route',
    request: { method: 'HEAD', path: '/v1/customers/c-1' },
    status: 200,
  },
  {
    name: '500 thrown Error: generic description, nothing internal',
    request: { method: 'GET', path: '/throw/plain' },
    status: 500,
    body: {
      code: '500',
      description: 'The service met an unexpected error. Retry later.',
      source: SRC,
    },
  },
  {
    name: '500 ApiError description not exposed by default',
    request: { method: 'GET', path: '/throw/server-described' },
    status: 500,
    bodyExcludes: ['secret'],
  },
  {
    name: '501 route declared not implemented',
    request: { method: 'POST', path: '/v1/customers/c-1/transfers' },
    status: 501,
    body: { code: '501', description: 'Transfers are not implemented.', source: SRC },
  },
  {
    name: '501 method the service does not implement',
    request: { method: 'PROPFIND', path: '/v1/customers/c-1' },
    status: 501,
    body: {
      code: '501',
      description: 'The method PROPFIND is not implemented by this service.',
      source: SRC,
    },
  },
  {
    name: '502 upstream answered garbage',
    request: { method: 'GET', path: '/mechanism/bad-gateway' },
    status: 502,
    bodyExcludes: ['<html>'],
  },
  {
    name: '503 maintenance with Retry-After',
    request: { method: 'GET', path: '/mechanism/maintenance' },
    status: 503,
    headers: { 'retry-after': '30' },
    body: { code: '503', description: 'The service is down for maintenance.', source: SRC },
  },
  {
    name: '504 upstream did not answer in time',
    request: { method: 'GET', path: '/mechanism/upstream-timeout' },
    status: 504,
  },
  {
    name: '504 handler deadline exceeded',
    request: { method: 'GET', path: '/mechanism/deadline' },
    status: 504,
  },
  {
    name: 'bad input: thrown null',
    request: { method: 'GET', path: '/throw/null' },
    status: 500,
    body: {
      code: '500',
      description: 'The service met an unexpected error. Retry later.',
      source: SRC,
    },
  },
  {
    name: 'bad input: thrown undefined',
    request: { method: 'GET', path: '/throw/undefined' },
    status: 500,
  },
  {
    name: 'bad input: thrown string',
    request: { method: 'GET', path: '/throw/string' },
    status: 500,
    bodyExcludes: ['secret'],
  },
  {
    name: 'bad input: circular object',
    request: { method: 'GET', path: '/throw/circular' },
    status: 500,
    bodyExcludes: ['secret'],
  },
  {
    name: 'bad input: 10 MB description is cut to 1024 code points',
    request: { method: 'GET', path: '/throw/big' },
    status: 400,
    check: (b) => {
      const d = String(b['description']);
      if ([...d].length !== 1024 || !d.endsWith('…')) throw new Error(`length ${d.length}`);
    },
  },
  {
    name: 'bad input: non-ASCII description kept intact',
    request: { method: 'GET', path: '/throw/non-ascii' },
    status: 400,
    body: { code: '400', description: 'Données invalides : « 顧客 » 😀 incomplet.', source: SRC },
  },
  {
    name: 'bad input: CRLF in an error header value is neutralised',
    request: { method: 'GET', path: '/throw/crlf' },
    status: 400,
    headers: { 'x-debug': 'a Set-Cookie: pwned=1', 'set-cookie': undefined },
  },
  {
    name: 'bad input: an insane MS-RequestId is replaced, a sane correlation id echoed',
    request: {
      method: 'GET',
      path: '/v1/nothing',
      headers: { 'ms-requestid': 'abc def<script>', 'ms-correlationid': 'corr-42' },
    },
    status: 404,
    headers: { 'ms-requestid': UUID, 'ms-correlationid': 'corr-42' },
  },
  {
    name: 'path policy: a trailing slash is another path (404)',
    request: { method: 'GET', path: '/v1/customers/c-1/' },
    status: 404,
    body: { code: '404', description: 'The requested resource was not found.', source: SRC },
  },
  {
    name: 'path policy: matching is case-sensitive (404)',
    request: { method: 'GET', path: '/V1/CUSTOMERS/c-1' },
    status: 404,
    body: { code: '404', description: 'The requested resource was not found.', source: SRC },
  },
  {
    name: 'path policy: a dot segment never reaches another route (400)',
    request: {
      method: 'GET',
      path: '/v1/customers/../customers/c-1',
      headers: { 'ms-requestid': 'dots' },
    },
    status: 400,
    headers: { 'ms-requestid': 'dots' },
    body: {
      code: '400',
      description: 'The request path must not contain "." or ".." segments.',
      source: SRC,
    },
  },
  {
    name: 'path policy: a dot segment as a parameter (400)',
    request: { method: 'GET', path: '/v1/customers/..' },
    status: 400,
  },
  {
    name: 'path policy: a percent-encoded dot segment (400)',
    request: { method: 'GET', path: '/v1/customers/%2E%2e' },
    status: 400,
  },
  {
    name: 'path policy: an undecodable percent-encoding (400)',
    request: { method: 'GET', path: '/v1/customers/%E0%A4%A' },
    status: 400,
    body: {
      code: '400',
      description: 'The request path has an invalid percent-encoding.',
      source: SRC,
    },
  },
  {
    name: 'path policy: an over-long segment is a contract 400, never 414',
    request: { method: 'GET', path: `/v1/customers/${'a'.repeat(3000)}` },
    status: 400,
    body: {
      code: '400',
      description: 'A segment of the request path is longer than 1024 characters.',
      source: SRC,
    },
  },
  {
    name: 'path policy: an over-long path is a contract 400',
    request: { method: 'GET', path: `/v1${'/abcdefghij'.repeat(500)}` },
    status: 400,
    body: {
      code: '400',
      description: 'The request path is longer than 4096 characters.',
      source: SRC,
    },
  },
  {
    name: 'path policy: OPTIONS * answered alike, the caller ids echoed',
    request: {
      method: 'OPTIONS',
      path: '*',
      headers: { 'ms-requestid': 'star-1', 'ms-correlationid': 'star-c' },
    },
    status: 400,
    headers: { 'ms-requestid': 'star-1', 'ms-correlationid': 'star-c' },
    body: {
      code: '400',
      description: 'The request target * names no resource: OPTIONS is answered per resource.',
      source: SRC,
    },
  },
  {
    name: '304 carries no body and no content type',
    request: { method: 'GET', path: '/v1/cached', headers: { 'if-none-match': '"v2"' } },
    status: 304,
    headers: { 'content-type': undefined, etag: '"v2"' },
  },
  {
    name: '200 JSON success: one Content-Type on every adapter',
    request: { method: 'GET', path: '/v1/cached' },
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', etag: '"v2"' },
    body: { fresh: true },
  },
  {
    name: 'path policy: an encoded letter never routes past a rule on the path (400)',
    request: { method: 'GET', path: '/%73ecure/data' },
    status: 400,
    body: {
      code: '400',
      description:
        'The request path percent-encodes a character that needs no encoding (RFC 3986 §2.3).',
      source: SRC,
    },
  },
  // Idempotency (the options enable it with a memory store per server): these rows run in
  // order, each server keeping its own keys and counting its own orders.
  {
    name: 'idempotency: the first POST with an MS-RequestId runs (201, Location)',
    request: {
      method: 'POST',
      path: '/v1/orders',
      headers: { ...json, 'ms-requestid': 'idem-1' },
      body: '{"item":"a"}',
    },
    status: 201,
    headers: { location: '/v1/orders/o-1', 'idempotent-replayed': undefined },
    body: { id: 'o-1', item: 'a' },
  },
  {
    name: 'idempotency: the same request again replays the stored answer, marked as replayed',
    request: {
      method: 'POST',
      path: '/v1/orders',
      headers: { ...json, 'ms-requestid': 'idem-1' },
      body: '{"item":"a"}',
    },
    status: 201,
    headers: {
      location: '/v1/orders/o-1',
      'idempotent-replayed': 'true',
      'ms-requestid': 'idem-1',
      'content-type': /^application\/json/,
    },
    body: { id: 'o-1', item: 'a' },
  },
  {
    name: 'idempotency: the key with another body is a 409 naming the body, and runs nothing',
    request: {
      method: 'POST',
      path: '/v1/orders',
      headers: { ...json, 'ms-requestid': 'idem-1' },
      body: '{"item":"b"}',
    },
    status: 409,
    headers: { 'idempotent-replayed': undefined },
    check: (b) => {
      if (b['code'] !== 'IdempotencyKeyReused') throw new Error(`code ${b['code']}`);
      if (JSON.stringify(b['data']) !== '["body"]') throw new Error(`data ${JSON.stringify(b)}`);
    },
  },
  {
    name: 'idempotency: the key on another path (query) and method is a 409 naming both',
    request: {
      method: 'PUT',
      path: '/v1/orders?copy=1',
      headers: { ...json, 'ms-requestid': 'idem-1' },
      body: '{"item":"a"}',
    },
    status: 409,
    check: (b) => {
      if (JSON.stringify(b['data']) !== '["method","path"]') throw new Error(JSON.stringify(b));
    },
  },
  {
    name: 'idempotency: a new key runs again (the refused requests created nothing)',
    request: {
      method: 'POST',
      path: '/v1/orders',
      headers: { ...json, 'ms-requestid': 'idem-2' },
      body: '{"item":"b"}',
    },
    status: 201,
    body: { id: 'o-2', item: 'b' },
  },
  {
    name: 'idempotency: a 500 is not stored ...',
    request: {
      method: 'POST',
      path: '/v1/orders',
      headers: { ...json, 'ms-requestid': 'idem-3' },
      body: '{"item":"c","failOnce":true}',
    },
    status: 500,
    bodyExcludes: ['secret'],
  },
  {
    name: 'idempotency: ... so its retry runs again',
    request: {
      method: 'POST',
      path: '/v1/orders',
      headers: { ...json, 'ms-requestid': 'idem-3' },
      body: '{"item":"c","failOnce":true}',
    },
    status: 201,
    headers: { 'idempotent-replayed': undefined },
    body: { id: 'o-3', item: 'c' },
  },
  {
    name: 'idempotency: an MS-RequestId that cannot be a key is a 400',
    request: {
      method: 'POST',
      path: '/v1/orders',
      headers: { ...json, 'ms-requestid': 'two words' },
      body: '{"item":"d"}',
    },
    status: 400,
  },
];
