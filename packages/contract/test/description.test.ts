/** toDescription: never empty, at most 1024 code points, cut on a code-point boundary with an ellipsis. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toDescription } from '@apifault/contract';
import { codePointLength } from '../src/description.js';

describe('toDescription', () => {
  it('replaces blank or non-string values with the localized default of the status', () => {
    assert.equal(toDescription('', { status: 404 }), 'The requested resource was not found.');
    assert.equal(
      toDescription(' \n\t', { status: 404, locale: 'fr-FR' }),
      'La ressource demandée est introuvable.',
    );
    assert.equal(toDescription(undefined), 'The service met an unexpected error. Retry later.');
    assert.equal(
      toDescription(42, { status: 429 }),
      'Too many requests: retry after the delay given in Retry-After.',
    );
  });

  it('keeps text within the limit as it is', () => {
    assert.equal(toDescription('Customer c1 was not found.'), 'Customer c1 was not found.');
    const exact = '\u{1F600}'.repeat(1024);
    assert.equal(toDescription(exact), exact);
  });

  it('cuts longer text to 1024 code points, the last one an ellipsis', () => {
    const out = toDescription('x'.repeat(1025));
    assert.equal(out, `${'x'.repeat(1023)}…`);
    const emoji = toDescription('\u{1F600}'.repeat(1025));
    assert.equal(codePointLength(emoji), 1024);
    assert.equal(emoji, `${'\u{1F600}'.repeat(1023)}…`);
    assert.equal(toDescription('abcdef', { maxLength: 4 }), 'abc…');
    assert.equal(toDescription('abcdef', { maxLength: 1 }), '…');
  });

  it('never goes over the contract limit, whatever maxLength says', () => {
    assert.equal(codePointLength(toDescription('y'.repeat(5000), { maxLength: 4000 })), 1024);
    assert.equal(toDescription('abc', { maxLength: Number.NaN }), 'abc');
    assert.equal(toDescription('abc', { maxLength: -3 }), '…');
  });

  it('replaces lone surrogates with U+FFFD', () => {
    assert.equal(toDescription('a\uD800b\uDC00'), 'a\uFFFDb\uFFFD');
  });
});
