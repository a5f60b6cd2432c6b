/** Every factory answers with a valid body and the header the contract requires. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApiError,
  badGateway,
  badRequest,
  conflict,
  DEFAULT_REALM,
  forbidden,
  formatAllow,
  formatChallenge,
  gatewayTimeout,
  internalServerError,
  isApiError,
  methodNotAllowed,
  notAcceptable,
  notFound,
  notImplemented,
  preconditionFailed,
  requestTimeout,
  serviceUnavailable,
  tooManyRequests,
  unauthorized,
  validateErrorBody,
} from '@apifault/contract';
import fc from 'fast-check';

const cases: { status: number; make: () => ApiError; header?: [string, RegExp] }[] = [
  { status: 400, make: () => badRequest() },
  {
    status: 401,
    make: () => unauthorized({ realm: 'urn:cpsvc:cpid:4f1c2d' }),
    header: ['WWW-Authenticate', /^OAuth realm=urn:cpsvc:cpid:4f1c2d$/],
  },
  { status: 403, make: () => forbidden() },
  { status: 404, make: () => notFound() },
  {
    status: 405,
    make: () => methodNotAllowed({ allow: ['get', 'patch'] }),
    header: ['Allow', /^GET, HEAD, PATCH$/],
  },
  { status: 406, make: () => notAcceptable() },
  { status: 408, make: () => requestTimeout(), header: ['Connection', /^close$/] },
  { status: 409, make: () => conflict() },
  { status: 412, make: () => preconditionFailed() },
  {
    status: 429,
    make: () => tooManyRequests({ retryAfter: 57 }),
    header: ['Retry-After', /^57$/],
  },
  { status: 500, make: () => internalServerError() },
  { status: 501, make: () => notImplemented() },
  { status: 502, make: () => badGateway() },
  {
    status: 503,
    make: () => serviceUnavailable({ retryAfter: 30 }),
    header: ['Retry-After', /^30$/],
  },
  { status: 504, make: () => gatewayTimeout() },
];

describe('factories', () => {
  for (const { status, make, header } of cases) {
    it(`${status}: valid body, code "${status}"${header ? `, ${header[0]}` : ''}`, () => {
      const error = make();
      assert.ok(error instanceof ApiError);
      assert.ok(isApiError(error));
      assert.equal(error.status, status);
      const body = error.toBody();
      assert.deepEqual(validateErrorBody(body), []);
      assert.equal(body.code, String(status));
      assert.equal(body.source, 'apifault');
      assert.equal(Object.hasOwn(body, 'data'), false);
      if (header) assert.match(error.headers[header[0]] ?? '', header[1]);
      const fr = error.toBody({ locale: 'fr-FR', source: 'PartnerFD' });
      assert.deepEqual(validateErrorBody(fr), []);
      assert.equal(fr.source, 'PartnerFD');
      assert.notEqual(fr.description, body.description);
    });
  }

  it('covers all fifteen statuses', () => {
    assert.equal(new Set(cases.map((c) => c.status)).size, 15);
  });

  it('every 401 carries the documented challenge, with the default realm too', () => {
    assert.equal(unauthorized().headers['WWW-Authenticate'], `OAuth realm=${DEFAULT_REALM}`);
    assert.match(DEFAULT_REALM, /^urn:cpsvc:cpid:/);
    assert.equal(
      unauthorized({
        realm: 'urn:cpsvc:cpid:abc',
        error: 'invalid_token',
        errorDescription: 'The token "t" expired',
      }).headers['WWW-Authenticate'],
      'OAuth realm=urn:cpsvc:cpid:abc, error="invalid_token", error_description="The token \\"t\\" expired"',
    );
    assert.equal(
      formatChallenge('urn:cpsvc:cpid:x\r\nSet-Cookie: a=b'),
      'OAuth realm=urn:cpsvc:cpid:xSet-Cookie: a=b',
    );
  });

  it('a 429 always has Retry-After, in whole seconds of at least 1', () => {
    assert.equal(tooManyRequests({ retryAfter: 0.2 }).headers['Retry-After'], '1');
    assert.equal(tooManyRequests({ retryAfter: 1.2 }).headers['Retry-After'], '2');
    assert.equal(tooManyRequests({ retryAfter: -5 }).headers['Retry-After'], '1');
    const later = new Date(Date.now() + 9_500);
    assert.match(tooManyRequests({ retryAfter: later }).headers['Retry-After'] ?? '', /^(9|10)$/);
    // From JavaScript, without the required option.
    const untyped = tooManyRequests as (input?: object) => ApiError;
    assert.equal(untyped({}).headers['Retry-After'], '1');
    fc.assert(
      fc.property(fc.double(), (seconds) => {
        const value = tooManyRequests({ retryAfter: seconds }).headers['Retry-After'] ?? '';
        assert.match(value, /^[1-9]\d*$/);
        assert.ok(Number(value) >= 1);
      }),
      { numRuns: 300 },
    );
  });

  it('a 503 has Retry-After only when the wait is known', () => {
    assert.equal(Object.hasOwn(serviceUnavailable().headers, 'Retry-After'), false);
    assert.equal(serviceUnavailable('Down for maintenance.').headers['Retry-After'], undefined);
  });

  it('formatAllow upper-cases, de-duplicates, sorts and implies HEAD from GET', () => {
    assert.equal(formatAllow(['post', 'GET', 'get']), 'GET, HEAD, POST');
    assert.equal(formatAllow(new Set(['DELETE'])), 'DELETE');
  });

  it('5xx descriptions are hidden unless exposed; 4xx and 501 are shown', () => {
    const hidden = internalServerError({ description: 'db password wrong', data: ['stack'] });
    assert.equal(hidden.toBody().description, 'The service met an unexpected error. Retry later.');
    assert.equal(Object.hasOwn(hidden.toBody(), 'data'), false);
    const shown = internalServerError({ description: 'Quota store offline.', expose: true });
    assert.equal(shown.toBody().description, 'Quota store offline.');
    assert.equal(notImplemented('Not yet.').toBody().description, 'Not yet.');
    assert.equal(notImplemented({ description: 'x', expose: undefined }).toBody().description, 'x');
    const detailed = badRequest({ code: 2000, description: 'Bad id.', data: [{ field: 'id' }] });
    assert.deepEqual(detailed.toBody({ source: 'PartnerFD' }), {
      code: '2000',
      description: 'Bad id.',
      source: 'PartnerFD',
      data: [{ field: 'id' }],
    });
  });

  it('bodies stay valid whatever the description, code and status', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10, max: 1000 }),
        fc.option(fc.string({ unit: 'binary', maxLength: 1500 })),
        fc.option(fc.oneof(fc.string(), fc.integer())),
        (status, description, code) => {
          const error = new ApiError({
            status,
            ...(description === null ? {} : { description }),
            ...(code === null ? {} : { code }),
          });
          assert.ok(error.status >= 400 && error.status <= 599);
          assert.deepEqual(validateErrorBody(error.toBody()), []);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('isApiError recognises an ApiError from a second copy of the package', async () => {
    // A query string makes Node load and evaluate the module a second time.
    const url = new URL('../src/api-error.ts?copy=2', import.meta.url).href;
    const copy = (await import(url)) as typeof import('../src/api-error.js');
    assert.notEqual(copy.ApiError, ApiError);
    const foreign = new copy.ApiError({ status: 404 });
    assert.equal(foreign instanceof ApiError, false);
    assert.equal(isApiError(foreign), true);
    assert.equal(copy.isApiError(notFound()), true);
    assert.equal(isApiError(new Error('plain')), false);
    assert.equal(isApiError({ status: 404, code: '404' }), false);
    assert.equal(isApiError(null), false);
    assert.equal(isApiError('ApiError'), false);
  });
});
