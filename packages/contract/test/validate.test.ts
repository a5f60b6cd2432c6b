/** validateErrorBody reports every violation with its path and a plain message. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isErrorBody, validateErrorBody } from '@apifault/contract';

const valid = {
  code: '3000',
  description: 'Customer c1 was not found.',
  data: [],
  source: 'PartnerFD',
};

describe('validateErrorBody', () => {
  it('accepts a contract body, with or without data, with extra members', () => {
    assert.deepEqual(validateErrorBody(valid), []);
    assert.deepEqual(validateErrorBody({ code: '1', description: 'x', source: 's' }), []);
    assert.deepEqual(validateErrorBody({ ...valid, errorName: 'X', isRetryable: false }), []);
    assert.equal(isErrorBody(valid), true);
  });

  it('rejects anything but an object, at the root path', () => {
    const cases: [unknown, string][] = [
      [null, 'The body is null; it must be a JSON object.'],
      [[], 'The body is an array; it must be a JSON object.'],
      ['{}', 'The body is a string; it must be a JSON object.'],
      [42, 'The body is a number; it must be a JSON object.'],
      [undefined, 'The body is a undefined; it must be a JSON object.'],
    ];
    for (const [value, message] of cases) {
      assert.deepEqual(validateErrorBody(value), [{ path: '', rule: 'type', message }]);
      assert.equal(isErrorBody(value), false);
    }
  });

  it('reports missing, null and mistyped members', () => {
    assert.deepEqual(validateErrorBody({}), [
      { path: '/code', rule: 'required', message: '`code` is missing; it must always be present.' },
      {
        path: '/description',
        rule: 'required',
        message: '`description` is missing; it must always be present.',
      },
      {
        path: '/source',
        rule: 'required',
        message: '`source` is missing; it must always be present.',
      },
    ]);
    assert.deepEqual(validateErrorBody({ ...valid, code: null }), [
      { path: '/code', rule: 'not-null', message: '`code` is null; it must be a string.' },
    ]);
    assert.deepEqual(validateErrorBody({ ...valid, code: 3000 }), [
      { path: '/code', rule: 'type', message: '`code` is a number; it must be a string.' },
    ]);
    assert.deepEqual(validateErrorBody({ ...valid, description: null }), [
      {
        path: '/description',
        rule: 'not-null',
        message: '`description` is null; it must be a string.',
      },
    ]);
    assert.deepEqual(validateErrorBody({ ...valid, source: ['PartnerFD'] }), [
      { path: '/source', rule: 'type', message: '`source` is an array; it must be a string.' },
    ]);
    assert.deepEqual(validateErrorBody({ ...valid, source: undefined }), [
      {
        path: '/source',
        rule: 'required',
        message: '`source` is missing; it must always be present.',
      },
    ]);
  });

  it('reports an empty description, and one over 1024 code points', () => {
    assert.deepEqual(validateErrorBody({ ...valid, description: '' }), [
      {
        path: '/description',
        rule: 'non-empty',
        message: '`description` is empty; it must explain the error.',
      },
    ]);
    assert.deepEqual(validateErrorBody({ ...valid, description: 'x'.repeat(1025) }), [
      {
        path: '/description',
        rule: 'max-length',
        message: '`description` has 1025 characters; at most 1024 are allowed.',
      },
    ]);
    assert.deepEqual(validateErrorBody({ ...valid, description: 'x'.repeat(1024) }), []);
  });

  it('counts code points, not UTF-16 units', () => {
    // 1024 emoji are 2048 code units but 1024 code points.
    assert.deepEqual(validateErrorBody({ ...valid, description: '\u{1F600}'.repeat(1024) }), []);
    assert.equal(
      validateErrorBody({ ...valid, description: '\u{1F600}'.repeat(1025) })[0]?.rule,
      'max-length',
    );
  });

  it('reports data that is not an array', () => {
    for (const [data, kind] of [
      [{}, 'an object'],
      ['x', 'a string'],
      [null, 'null'],
      [0, 'a number'],
    ] as const) {
      assert.deepEqual(validateErrorBody({ ...valid, data }), [
        {
          path: '/data',
          rule: 'type',
          message: `\`data\` is ${kind}; when present it must be an array.`,
        },
      ]);
    }
  });

  it('lists every violation at once, in member order', () => {
    const violations = validateErrorBody({ code: 1, description: '', data: 'x', source: null });
    assert.deepEqual(
      violations.map((v) => `${v.path} ${v.rule}`),
      ['/code type', '/description non-empty', '/data type', '/source not-null'],
    );
  });
});
