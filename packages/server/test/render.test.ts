/** renderError: every kind of thrown value becomes a valid contract response. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ApiError,
  methodNotAllowed,
  notFound,
  tooManyRequests,
  unauthorized,
  validateErrorBody,
} from '@apifault/contract';
import Boom from '@hapi/boom';
import fc from 'fast-check';
import { HTTPException } from 'hono/http-exception';
import createHttpError from 'http-errors';
import { recognizeBodyParser } from '../src/adapters/express.js';
import { recognizeFastify } from '../src/adapters/fastify.js';
import { recognizeHttpException } from '../src/adapters/hono.js';
import { type Logger, renderError, resolveOptions } from '../src/index.js';

function recorder(): Logger & { errors: { obj: object; msg?: string | undefined }[] } {
  const errors: { obj: object; msg?: string | undefined }[] = [];
  return { errors, error: (obj, msg) => errors.push({ obj, msg }), warn() {}, info() {} };
}

const GENERIC_500 = 'The service met an unexpected error. Retry later.';

describe('renderError', () => {
  test('an ApiError keeps its status, code, description, data and headers', () => {
    const r = renderError(
      new ApiError({
        status: 404,
        code: 3000,
        description: 'Customer c1 was not found.',
        data: [1],
      }),
      { options: { source: 'PartnerFD' } },
    );
    assert.equal(r.status, 404);
    assert.deepEqual(r.body, {
      code: '3000',
      description: 'Customer c1 was not found.',
      data: [1],
      source: 'PartnerFD',
    });
    assert.equal(r.json, JSON.stringify(r.body));
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['cache-control'], 'no-store');
  });

  test('an ApiError from another copy of the contract (brand, not class) is recognised', () => {
    const foreign = {
      [Symbol.for('apifault.ApiError')]: true,
      status: 409,
      code: '800060',
      description: 'Domain taken.',
      expose: true,
      headers: {},
    };
    const r = renderError(foreign);
    assert.equal(r.status, 409);
    assert.equal(r.body.code, '800060');
    assert.equal(r.body.description, 'Domain taken.');
  });

  test('unexpected values become a logged 500 with the generic description only', () => {
    const circular: Record<string, unknown> = { secret: 'db password' };
    circular['self'] = circular;
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    for (const value of [
      null,
      undefined,
      'secret string',
      42,
      new Error('secret message'),
      circular,
      hostile,
      Symbol('x'),
    ]) {
      const logger = recorder();
      const r = renderError(value, { options: { logger }, requestId: 'r-1' });
      assert.equal(r.status, 500);
      assert.equal(r.body.description, GENERIC_500);
      assert.ok(!r.json.includes('secret'));
      assert.equal(logger.errors.length, 1, String(typeof value));
      assert.equal((logger.errors[0]!.obj as { requestId: string }).requestId, 'r-1');
      assert.equal((logger.errors[0]!.obj as { err: unknown }).err, value);
    }
  });

  test('a 5xx description is hidden unless exposeServerErrors', () => {
    const error = new ApiError({ status: 503, description: 'Redis at 10.0.0.3 is down' });
    assert.equal(
      renderError(error).body.description,
      'The service is temporarily unavailable. Retry later.',
    );
    assert.equal(
      renderError(error, { options: { exposeServerErrors: true } }).body.description,
      'Redis at 10.0.0.3 is down',
    );
  });

  test('http-errors: 4xx with expose shows the message and keeps headers; 5xx hides it', () => {
    const r = renderError(
      createHttpError(401, 'Token expired', { headers: { 'WWW-Authenticate': 'OAuth realm=x' } }),
    );
    assert.equal(r.status, 401);
    assert.equal(r.body.description, 'Token expired');
    assert.equal(r.headers['www-authenticate'], 'OAuth realm=x');
    const hidden = createHttpError(404, 'internal path /srv/x', { expose: false });
    assert.equal(renderError(hidden).body.description, 'The requested resource was not found.');
    assert.equal(renderError(createHttpError(502, 'upstream 10.0.0.1')).body.code, '502');
    assert.ok(!renderError(createHttpError(502, 'upstream 10.0.0.1')).json.includes('10.0.0.1'));
  });

  test('Boom: status and headers from output, 4xx message shown', () => {
    const r = renderError(Boom.tooManyRequests('Slow down'));
    assert.equal(r.status, 429);
    assert.equal(r.body.description, 'Slow down');
    assert.equal(r.headers['retry-after'], '1');
    const challenge = renderError(Boom.unauthorized('Bad token', 'Bearer'));
    assert.equal(challenge.status, 401);
    assert.match(challenge.headers['www-authenticate']!, /^Bearer/);
    assert.equal(renderError(Boom.badImplementation('secret')).body.description, GENERIC_500);
  });

  test('Hono HTTPException (the Hono adapter recogniser): status, message, and the challenge of its response', () => {
    const res = new Response('x', {
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer realm="h"' },
    });
    const r = renderError(new HTTPException(401, { message: 'No token', res }), {
      recognizers: [recognizeHttpException],
    });
    // Without the adapter recogniser, a foreign error whose status is not marked public.
    assert.equal(
      renderError(new HTTPException(401, { message: 'No token', res })).body.description,
      'The request is not authenticated: a valid bearer token is required.',
    );
    assert.equal(r.status, 401);
    assert.equal(r.body.description, 'No token');
    assert.equal(r.headers['www-authenticate'], 'Bearer realm="h"');
  });

  test('Fastify errors (the Fastify adapter recogniser) map to the contract: media type 400, body limit 413, empty 400, JSON 400', () => {
    const recognizers = [recognizeFastify];
    const fst = (code: string, statusCode: number, message = 'm') =>
      Object.assign(new Error(message), { code, statusCode });
    const media = renderError(fst('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415), {
      headers: { 'content-type': 'text/xml' },
      recognizers,
    });
    assert.equal(media.status, 400);
    assert.match(media.body.description, /text\/xml/);
    assert.equal(renderError(fst('FST_ERR_CTP_BODY_TOO_LARGE', 413), { recognizers }).status, 413);
    assert.equal(renderError(fst('FST_ERR_CTP_EMPTY_JSON_BODY', 400), { recognizers }).status, 400);
    const syntax = Object.assign(new SyntaxError('Unexpected end of JSON input'), {
      statusCode: 400,
    });
    assert.match(
      renderError(syntax, { recognizers }).body.description,
      /not valid JSON: Unexpected end/,
    );
    const validation = Object.assign(new Error('body/name must be string'), {
      code: 'FST_ERR_VALIDATION',
      statusCode: 400,
      validation: [{ instancePath: '/name', message: 'must be string' }],
    });
    assert.deepEqual(renderError(validation, { recognizers }).body.data, [
      { field: '/name', message: 'must be string' },
    ]);
  });

  test('body-parser errors (the Express adapter recogniser): parse failure 400, too large 413', () => {
    const recognizers = [recognizeBodyParser];
    const parse = createHttpError(400, 'Unexpected token } in JSON', {
      type: 'entity.parse.failed',
    });
    assert.match(
      renderError(parse, { recognizers }).body.description,
      /^The request body is not valid JSON/,
    );
    const large = createHttpError(413, 'request entity too large', {
      type: 'entity.too.large',
      limit: 100,
    });
    const r = renderError(large, { recognizers });
    assert.equal(r.status, 413);
    assert.equal(r.body.description, 'The request body is larger than the limit of 100 bytes.');
  });

  test('required headers are added when the thrower forgot them; the realm is configurable', () => {
    const bare401 = renderError(new ApiError({ status: 401 }), {
      options: { realm: 'urn:cpsvc:cpid:42' },
    });
    assert.equal(bare401.headers['www-authenticate'], 'OAuth realm=urn:cpsvc:cpid:42');
    assert.equal(
      renderError(unauthorized()).headers['www-authenticate'],
      'OAuth realm=urn:cpsvc:cpid:apifault',
    );
    assert.equal(
      renderError(new ApiError({ status: 405 }), { allow: 'GET, HEAD' }).headers['allow'],
      'GET, HEAD',
    );
    assert.equal(renderError(methodNotAllowed({ allow: ['POST'] })).headers['allow'], 'POST');
    assert.equal(renderError(new ApiError({ status: 429 })).headers['retry-after'], '1');
    assert.equal(renderError(tooManyRequests({ retryAfter: 12.2 })).headers['retry-after'], '13');
  });

  test('ids are echoed when sane, generated otherwise; reserved headers cannot be overridden', () => {
    const r = renderError(
      new ApiError({
        status: 400,
        headers: { 'Content-Type': 'text/html', 'MS-RequestId': 'evil', 'X-Extra': 'ok' },
      }),
      { headers: { 'ms-requestid': 'abc-123', 'ms-correlationid': 'a\r\nb' } },
    );
    assert.equal(r.headers['ms-requestid'], 'abc-123');
    assert.match(r.headers['ms-correlationid']!, /^[0-9a-f-]{36}$/);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.headers['x-extra'], 'ok');
  });

  test('default descriptions are localized from X-Locale, then Accept-Language', () => {
    assert.equal(
      renderError(notFound(), { headers: { 'x-locale': 'fr-FR' } }).body.description,
      'La ressource demandée est introuvable.',
    );
    assert.equal(
      renderError(notFound(), { headers: { 'accept-language': 'fr;q=0.9, en;q=0.1' } }).body
        .description,
      'La ressource demandée est introuvable.',
    );
    assert.equal(
      renderError(notFound('Custom.'), { headers: { 'x-locale': 'fr-FR' } }).body.description,
      'Custom.',
    );
  });

  test('data that cannot be serialised is dropped, not thrown', () => {
    const data: unknown[] = [];
    data.push(data);
    const r = renderError(new ApiError({ status: 400, description: 'x', data: [1n, data] }));
    assert.equal(r.status, 400);
    assert.equal(r.body.data, undefined);
    assert.deepEqual(JSON.parse(r.json), { code: '400', description: 'x', source: 'apifault' });
  });

  test('cacheControl can be turned off; source from options, sanitised', () => {
    const options = resolveOptions({ cacheControl: false, source: 'Bill\r\ning' });
    const r = renderError(notFound(), { options });
    assert.equal(r.headers['cache-control'], undefined);
    assert.equal(r.body.source, 'Billing');
  });

  test('property: any thrown value and any request headers give a valid, safe response', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.record({
          'ms-requestid': fc.string(),
          'ms-correlationid': fc.string(),
          'x-locale': fc.string(),
          'accept-language': fc.string(),
        }),
        (value, headers) => {
          const r = renderError(value, { headers });
          assert.ok(r.status >= 400 && r.status <= 599);
          assert.deepEqual(validateErrorBody(JSON.parse(r.json)), []);
          for (const v of Object.values(r.headers)) assert.ok(!/[\r\n]/.test(v));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('property: ApiError descriptions and header values from anywhere stay within the contract', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 400, max: 599 }),
        fc.string({ unit: 'grapheme', maxLength: 2000 }),
        fc.string({ maxLength: 300 }),
        (status, description, headerValue) => {
          const r = renderError(
            new ApiError({ status, description, expose: true, headers: { 'X-Note': headerValue } }),
          );
          assert.deepEqual(validateErrorBody(r.body), []);
          assert.ok(!/[\r\n]/.test(r.headers['x-note'] ?? ''));
        },
      ),
      { numRuns: 300 },
    );
  });
});
