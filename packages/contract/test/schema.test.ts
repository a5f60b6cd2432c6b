/** The exported JSON Schema compiles under Ajv (draft 2020-12) and agrees with validateErrorBody. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorBodySchema, validateErrorBody } from '@apifault/contract';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';

const ajv = new Ajv2020({ strict: true, allErrors: true });
const ajvValidate = ajv.compile(errorBodySchema);

const agree = (body: unknown) => {
  const ours = validateErrorBody(body).length === 0;
  assert.equal(ajvValidate(body), ours, JSON.stringify(body)?.slice(0, 200));
  return ours;
};

describe('errorBodySchema', () => {
  it('is draft 2020-12 and requires code, description and source', () => {
    assert.equal(errorBodySchema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.deepEqual(errorBodySchema.required, ['code', 'description', 'source']);
  });

  it('agrees with validateErrorBody on a hand-written corpus', () => {
    const base = { code: '3000', description: 'Not found.', source: 'PartnerFD' };
    const corpus: [unknown, boolean][] = [
      [base, true],
      [{ ...base, data: [] }, true],
      [{ ...base, data: ['x', { a: 1 }] }, true],
      [{ ...base, extra: { nested: true } }, true],
      [{ ...base, description: 'x'.repeat(1024) }, true],
      [{ ...base, description: '\u{1F600}'.repeat(1024) }, true],
      [{ ...base, description: 'x'.repeat(1025) }, false],
      [{ ...base, description: '' }, false],
      [{ ...base, description: null }, false],
      [{ ...base, code: 3000 }, false],
      [{ ...base, code: null }, false],
      [{ ...base, data: {} }, false],
      [{ ...base, data: null }, false],
      [{ ...base, data: undefined }, true],
      [{ code: '1', description: 'x' }, false],
      [{ description: 'x', source: 's' }, false],
      [{}, false],
      [[], false],
      [null, false],
      ['body', false],
      [1, false],
    ];
    for (const [body, expected] of corpus) assert.equal(agree(body), expected);
  });

  it('agrees with validateErrorBody on generated bodies', () => {
    const member = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 1100 }),
      fc.constant('x'.repeat(1030)),
      fc.constant(''),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.jsonValue(), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
    );
    const body = fc.record(
      { code: member, description: member, data: member, source: member, other: fc.jsonValue() },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(body, fc.jsonValue()), (value) => {
        agree(value);
      }),
      { numRuns: 1000 },
    );
  });
});
