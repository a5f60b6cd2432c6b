/** Whatever a handler throws or rejects with, every adapter answers a contract error and stays up. */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { validateErrorBody } from '@apifault/contract';
import fc from 'fast-check';
import { CASE_OPTIONS, hostileValues } from './helpers/cases.js';
import { send } from './helpers/http.js';
import { ADAPTERS, type Running, start } from './helpers/servers.js';

const RUNS = 40;

/** A header value nothing can turn into text, or that breaks the one who tries. */
const hostileHeaderValue = fc.constantFrom<() => unknown>(
  () => Object.create(null),
  () => ({
    toString() {
      throw new Error('no string for you');
    },
  }),
  () => [Symbol('s')],
  () => Symbol('s'),
  () => 10n,
  () => ['a', ['b', Object.create(null)]],
  () => 'x'.repeat(100_000),
  () => 'a\r\nSet-Cookie: pwned=1',
  () =>
    new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    ),
);

type Make = () => unknown;

/** Headers of a thrown value, as a factory: fast-check must not touch a hostile value itself. */
const hostileHeaders: fc.Arbitrary<Make> = fc.oneof(
  fc
    .dictionary(
      fc.constantFrom('Retry-After', 'WWW-Authenticate', 'Allow', 'X-Thing', 'content-type'),
      hostileHeaderValue,
      { maxKeys: 3 },
    )
    .map(
      (entries): Make =>
        () =>
          Object.fromEntries(Object.entries(entries).map(([name, make]) => [name, make()])),
    ),
  fc.constant<Make>(
    () =>
      new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('no keys');
          },
        },
      ),
  ),
  fc.constant<Make>(() => {
    const headers = {};
    Object.defineProperty(headers, 'Retry-After', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    return headers;
  }),
);

const status = fc.oneof(
  fc.constantFrom(400, 401, 404, 405, 409, 429, 500, 503, 504),
  fc.integer({ min: -5, max: 1000 }),
  fc.constant(Number.NaN),
);

/** A thrown value: a bag, an Error, a Proxy, a value with throwing getters, or nothing at all. */
const hostileValue: fc.Arbitrary<Make> = fc.oneof(
  fc.record({ status, headers: hostileHeaders, message: fc.string(), expose: fc.boolean() }).map(
    ({ headers, ...rest }): Make =>
      () => ({ ...rest, headers: headers() }),
  ),
  fc.record({ statusCode: status, headers: hostileHeaders, message: fc.string() }).map(
    ({ headers, ...rest }): Make =>
      () =>
        Object.assign(new Error('hidden'), { ...rest, headers: headers() }),
  ),
  fc.constant<Make>(
    () =>
      new Proxy(
        {},
        {
          get() {
            throw new Error('trap');
          },
          has() {
            throw new Error('trap');
          },
        },
      ),
  ),
  status.map(
    (s): Make =>
      () => {
        const value = { status: s };
        Object.defineProperty(value, 'headers', {
          get() {
            throw new Error('getter');
          },
        });
        return value;
      },
  ),
  fc.constantFrom<unknown>(null, undefined, 0, '', 10n).map(
    (v): Make =>
      () =>
        v,
  ),
  fc.constant<Make>(() => Symbol('thrown')),
);

describe('hostile thrown values on node:http, Express, Fastify and Hono', () => {
  const servers: Running[] = [];
  before(async () => {
    for (const name of ADAPTERS) servers.push(await start(name, CASE_OPTIONS));
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  test(`${RUNS} values each, thrown and rejected: a contract error with its required headers`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(hostileValue, fc.boolean(), async (make, reject) => {
        const kind = `hostile-${n++}`;
        hostileValues.set(kind, make());
        try {
          for (const server of servers) {
            const where = `${server.name} ${reject ? 'rejected' : 'thrown'}`;
            const res = await Promise.race([
              send(server.url, { method: 'GET', path: `/${reject ? 'reject' : 'throw'}/${kind}` }),
              new Promise<never>((_, no) =>
                setTimeout(() => no(new Error(`${where}: no answer in 5 s`)), 5000).unref(),
              ),
            ]);
            assert.ok(res.status >= 400 && res.status <= 599, `${where}: status ${res.status}`);
            assert.equal(res.headers['content-type'], 'application/json; charset=utf-8', where);
            assert.deepEqual(
              validateErrorBody(res.json),
              [],
              `${where}: ${res.text.slice(0, 200)}`,
            );
            assert.ok(!res.text.includes('hidden') && !res.text.includes(' at '), where);
            if (res.status === 401) assert.ok(res.headers['www-authenticate'], where);
            if (res.status === 405) assert.notEqual(res.headers['allow'], undefined, where);
            if (res.status === 429) assert.ok(res.headers['retry-after'], where);
            assert.equal(res.headers['set-cookie'], undefined, where);
          }
        } finally {
          hostileValues.delete(kind);
        }
      }),
      { numRuns: RUNS },
    );
    // Every server is still up.
    for (const server of servers) {
      const res = await send(server.url, { method: 'GET', path: '/v1/customers/c-1' });
      assert.equal(res.status, 200, server.name);
    }
  });
});
