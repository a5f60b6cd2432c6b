/** Property tests: descriptions are always valid, and normalization never throws or yields an invalid body. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEVIATION_KINDS,
  MAX_DESCRIPTION_LENGTH,
  normalizeErrorResponse,
  toDescription,
  validateErrorBody,
} from '@apifault/contract';
import fc from 'fast-check';
import { MAX_BODY_LENGTH } from '../src/body-text.js';
import { codePointLength } from '../src/description.js';

const kinds = (result: { deviations: { kind: string }[] }) => result.deviations.map((d) => d.kind);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Strings rich in what breaks naive code: astral characters, lone halves of pairs, spaces.
const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\uD83D', '\uDE00', '\u{1F600}', ' ', '\n', '\u00a0', 'a', '&#39;', '&amp;'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 1500,
});
const longText = fc
  .tuple(tricky, fc.integer({ min: 1000, max: 2100 }))
  .map(([text, n]) => text + '\u{1F600}'.repeat(n / 2));

describe('toDescription', () => {
  it('never exceeds the limit, is never blank, never leaves a lone surrogate', () => {
    fc.assert(
      fc.property(
        fc.oneof(tricky, longText, fc.constant(''), fc.anything()),
        fc.integer({ min: 100, max: 650 }),
        fc.option(
          fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.double(), fc.constantFrom(Number.NaN, 0)),
        ),
        fc.constantFrom('en-US' as const, 'fr-FR' as const),
        (value, status, maxLength, locale) => {
          const options = maxLength === null ? { status, locale } : { status, locale, maxLength };
          const out = toDescription(value, options);
          const limit =
            maxLength === null
              ? MAX_DESCRIPTION_LENGTH
              : Math.min(MAX_DESCRIPTION_LENGTH, Math.max(1, Math.floor(maxLength) || 1024));
          assert.ok(codePointLength(out) <= limit);
          assert.notEqual(out.trim(), '');
          assert.equal(LONE_SURROGATE.test(out), false);
          if (typeof value === 'string' && value.trim() !== '' && !LONE_SURROGATE.test(value)) {
            // Text within the limit is kept as is; longer text is its prefix plus an ellipsis.
            if (codePointLength(value) <= limit) {
              assert.equal(out, value);
            } else {
              assert.ok(out.endsWith('…'));
              assert.ok(value.startsWith(out.slice(0, -1)));
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

const member = fc.oneof(
  fc.string(),
  tricky,
  longText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
);
const errorLike = fc.record(
  {
    code: member,
    description: member,
    data: member,
    source: member,
    statusCode: member,
    message: member,
    errorName: fc.string(),
    isRetryable: fc.boolean(),
  },
  { requiredKeys: [] },
);

// Text that is JSON, nearly JSON, HTML or noise, optionally cut short or given a BOM.
const bodyText = fc
  .tuple(
    fc.oneof(
      errorLike.map((o) => JSON.stringify(o)),
      errorLike.map((o) => JSON.stringify(o, null, '\u00a0')),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: fc.constantFrom('{', '[', '"', ',', ':', '}', ']', '1', ' ', '\\', 'a') }),
      tricky.map((t) => `<html><head><title>${t}</title></head><body><h1>${t}</h1></body></html>`),
      tricky.map((t) => `1. {"code": 5, "description": ${JSON.stringify(t)},}`),
    ),
    fc.option(fc.nat()),
    fc.boolean(),
  )
  .map(
    ([text, cut, bom]) =>
      (bom ? '\uFEFF' : '') + (cut === null ? text : text.slice(0, cut % (text.length + 1))),
  );

const body = fc.oneof(
  bodyText,
  bodyText.map((t) => new TextEncoder().encode(t)),
  fc.uint8Array({ maxLength: 500 }),
  fc.constant(null),
  fc.constant(undefined),
);

const status = fc.oneof(
  fc.integer({ min: 400, max: 599 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, 200, 1000, Number.NaN, Infinity),
);

const headerValue = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }));
const headers = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(
    fc.oneof(fc.constantFrom('Server', 'content-type', 'Content-Type', 'SERVER'), fc.string()),
    headerValue,
    { maxKeys: 5 },
  ),
  fc
    .constantFrom('text/html', 'application/json', 'text/plain; charset=utf-8')
    .map((type) => new Headers({ 'content-type': type, server: 'gw' })),
);

describe('normalizeErrorResponse', () => {
  it('never throws and always returns a valid, serializable body', () => {
    fc.assert(
      fc.property(status, headers, body, (status, headers, bodyText) => {
        const result = normalizeErrorResponse({ status, headers, bodyText });
        assert.deepEqual(validateErrorBody(result.body), []);
        assert.equal(LONE_SURROGATE.test(result.body.description), false);
        assert.ok(result.raw.length <= MAX_BODY_LENGTH);
        for (const { kind, message } of result.deviations) {
          assert.ok((DEVIATION_KINDS as readonly string[]).includes(kind), kind);
          assert.ok(message.length > 0);
        }
        assert.doesNotThrow(() => JSON.stringify(result.body));
        // The last-resort fallback is for hostile inputs only, never for odd bodies.
        assert.equal(kinds(result).includes('normalizer-fallback'), false);
        const isError = Number.isInteger(status) && status >= 400 && status <= 599;
        assert.equal(result.deviations[0]?.kind === 'status-not-error', !isError);
      }),
      { numRuns: 1500 },
    );
  });

  it('keeps the code and description of any contract body it is given', () => {
    const contractBody = fc.record({
      code: fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
      description: fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 300 })
        // No references to decode and nothing that reads as serialized JSON: both are reported.
        .filter((s) => s.trim() !== '' && !s.includes('&') && !/^\s*[[{]/.test(s)),
      source: fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
      data: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(contractBody, (original) => {
        const result = normalizeErrorResponse({ status: 400, bodyText: JSON.stringify(original) });
        assert.deepEqual(result.deviations, []);
        assert.deepEqual(result.body, JSON.parse(JSON.stringify(original)));
      }),
      { numRuns: 300 },
    );
  });
});
