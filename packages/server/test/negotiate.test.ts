/** acceptsJson / checkAccept: RFC 9110 §12.5.1 media-range matching for application/json. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isApiError } from '@apifault/contract';
import fc from 'fast-check';
import { acceptsJson, checkAccept } from '../src/index.js';

test('admits JSON: missing, empty, exact, wildcards, parameters, q-values', () => {
  for (const accept of [
    undefined,
    '',
    '*/*',
    'application/json',
    'APPLICATION/JSON',
    'application/*',
    'text/html, application/json;q=0.1',
    'text/html;q=1, */*;q=0.01',
    'application/json; charset=utf-8',
    'application/json;charset="UTF-8";q=0.5',
    'garbage',
    ['text/html', 'application/json'],
  ]) {
    assert.equal(acceptsJson(accept), true, String(accept));
  }
});

test('excludes JSON: other types only, q=0, and the most specific range wins', () => {
  for (const accept of [
    'text/html',
    'text/html, image/png',
    'application/xml',
    'application/json;q=0',
    'application/json;q=0, */*',
    'application/json;q=0.000, application/*',
    'application/*;q=0, */*;q=1',
    'application/json; charset=iso-8859-1',
    'text/*, image/*;q=0.5',
  ]) {
    assert.equal(acceptsJson(accept), false, accept);
  }
});

test('an invalid q-value makes that range ignored', () => {
  assert.equal(acceptsJson('application/json;q=2, text/html'), false);
  assert.equal(acceptsJson('text/html;q=abc'), true);
});

test('checkAccept throws the contract 406', () => {
  assert.doesNotThrow(() => checkAccept({ accept: 'application/json' }));
  assert.throws(
    () => checkAccept({ accept: 'text/html' }),
    (e: unknown) => isApiError(e) && e.status === 406,
  );
});

test('property: never throws, whatever the header', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 5000 }), (accept) => {
      assert.equal(typeof acceptsJson(accept), 'boolean');
    }),
    { numRuns: 500 },
  );
});
