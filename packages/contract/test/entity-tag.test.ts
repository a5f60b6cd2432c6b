/** Entity tags (RFC 9110 §8.8.3): formatting, parsing, If-Match quoting and the two comparisons. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatEtag,
  formatIfMatch,
  parseEtag,
  parseEtagList,
  strongMatch,
  weakMatch,
} from '@apifault/contract';
import fc from 'fast-check';

describe('entity tags', () => {
  it('formatEtag quotes and marks weak tags', () => {
    assert.equal(formatEtag('v1'), '"v1"');
    assert.equal(formatEtag('v1', { weak: true }), 'W/"v1"');
    assert.equal(formatEtag(''), '""');
    assert.throws(() => formatEtag('a"b'), TypeError);
    assert.throws(() => formatEtag('a b'), TypeError);
    assert.throws(() => formatEtag('a\r\nb'), TypeError);
  });

  it('parseEtag reads quoted, weak and bare tags', () => {
    assert.deepEqual(parseEtag('"v1"'), { opaque: 'v1', weak: false });
    assert.deepEqual(parseEtag('W/"v1"'), { opaque: 'v1', weak: true });
    assert.deepEqual(parseEtag('v1'), { opaque: 'v1', weak: false });
    assert.equal(parseEtag('W/v1'), null);
    assert.equal(parseEtag('"v"1"'), null);
    assert.equal(parseEtag('*'), null);
    assert.equal(parseEtag(''), null);
  });

  it('parseEtagList reads *, lists, and refuses malformed values', () => {
    assert.equal(parseEtagList(' * '), '*');
    assert.deepEqual(parseEtagList('"a", W/"b",,"c,d"'), [
      { opaque: 'a', weak: false },
      { opaque: 'b', weak: true },
      { opaque: 'c,d', weak: false },
    ]);
    assert.deepEqual(parseEtagList(''), []);
    assert.deepEqual(parseEtagList('token'), [{ opaque: 'token', weak: false }]);
    for (const bad of ['"a" "b"', '"a", b', 'W/ "a"', 'w/"a"', '"a', '*, "a"', 'a b', '"\u0001"']) {
      assert.equal(parseEtagList(bad), null, bad);
    }
  });

  it('round-trips every formatted tag', () => {
    for (const value of ['v1', 'eyJ2IjoyfQ==', 'a,b', '']) {
      for (const weak of [false, true]) {
        assert.deepEqual(parseEtagList(formatEtag(value, { weak })), [{ opaque: value, weak }]);
      }
    }
  });

  it('compares as the table of RFC 9110 §8.8.3.2 does', () => {
    const tag = (text: string) => parseEtag(text)!;
    // [first, second, strong comparison, weak comparison]
    const table: [string, string, boolean, boolean][] = [
      ['W/"1"', 'W/"1"', false, true],
      ['W/"1"', 'W/"2"', false, false],
      ['W/"1"', '"1"', false, true],
      ['"1"', '"1"', true, true],
    ];
    for (const [a, b, strong, weak] of table) {
      assert.equal(strongMatch(tag(a), tag(b)), strong, `strong ${a} ${b}`);
      assert.equal(weakMatch(tag(a), tag(b)), weak, `weak ${a} ${b}`);
    }
  });
});

describe('formatIfMatch', () => {
  it('quotes bare tags and keeps quoted, weak and * ones', () => {
    assert.equal(formatIfMatch('abc'), '"abc"');
    assert.equal(formatIfMatch('"abc"'), '"abc"');
    assert.equal(formatIfMatch('W/"abc"'), 'W/"abc"');
    assert.equal(formatIfMatch('*'), '*');
    assert.equal(formatIfMatch(' abc '), '"abc"');
  });

  it('drops the quotes inside a bare tag instead of throwing as formatEtag does', () => {
    assert.equal(formatIfMatch('a"b'), '"ab"');
    assert.equal(formatIfMatch('"abc'), '"abc"');
  });
});

describe('properties (bounded runs)', () => {
  const headerText = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc
      .array(fc.constantFrom('"v2"', 'W/"v2"', '"v1"', '*', ',', ' ', 'v2', '"', 'W/', '\t'), {
        maxLength: 6,
      })
      .map((parts) => parts.join('')),
  );

  it('parseEtagList never throws, and every tag it returns can be formatted again', () => {
    fc.assert(
      fc.property(headerText, (value) => {
        const list = parseEtagList(value);
        if (Array.isArray(list)) for (const tag of list) formatEtag(tag.opaque, { weak: tag.weak });
      }),
      { numRuns: 500 },
    );
  });
});
