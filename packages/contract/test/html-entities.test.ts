/** decodeHtmlEntities decodes numeric and named references once, and nothing else. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeHtmlEntities } from '../src/html-entities.js';

describe('decodeHtmlEntities', () => {
  it('decodes decimal, hex and named references', () => {
    assert.equal(decodeHtmlEntities('We&#39;re sorry'), "We're sorry");
    assert.equal(decodeHtmlEntities('&#x27;&#X41;&#128512;'), "'A\u{1F600}");
    assert.equal(
      decodeHtmlEntities('&lt;&gt;&amp;&quot;&apos;&nbsp;&eacute;&Eacute;&hellip;&euro;'),
      '<>&"\'\u00a0éÉ…€',
    );
  });

  it('maps references to U+0080-U+009F as windows-1252, and invalid ones to U+FFFD', () => {
    assert.equal(decodeHtmlEntities('&#146;&#150;&#128;'), '\u2019\u2013\u20ac');
    assert.equal(decodeHtmlEntities('&#0;&#xD800;&#x110000;'), '\uFFFD\uFFFD\uFFFD');
  });

  it('leaves unknown names, missing semicolons and plain ampersands alone', () => {
    for (const text of ['&bogus;', '&#39', 'AT&T', '&', '&#;', '&#99999999999;', 'a & b']) {
      assert.equal(decodeHtmlEntities(text), text);
    }
  });

  it('decodes once: double-encoded text keeps one level', () => {
    assert.equal(decodeHtmlEntities('&amp;#39;'), '&#39;');
  });
});
