/** Locale negotiation: X-Locale wins, Accept-Language q-values are honoured, en-US is the fallback. */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  DEFAULT_LOCALE,
  defaultDescription,
  LOCALES,
  matchLocale,
  negotiateLocale,
  parseAcceptLanguage,
  reasonPhrase,
  STATUSES,
} from '@apifault/contract';

describe('negotiateLocale', () => {
  it('takes X-Locale when apifault speaks it, over Accept-Language', () => {
    assert.equal(negotiateLocale({ xLocale: 'fr-FR', acceptLanguage: 'en-US' }), 'fr-FR');
    assert.equal(negotiateLocale({ xLocale: 'en-US', acceptLanguage: 'fr-FR' }), 'en-US');
    assert.equal(negotiateLocale({ xLocale: 'fr-CA' }), 'fr-FR');
  });

  it('falls back to Accept-Language when X-Locale is unknown or blank', () => {
    assert.equal(negotiateLocale({ xLocale: 'de-DE', acceptLanguage: 'fr' }), 'fr-FR');
    assert.equal(negotiateLocale({ xLocale: '', acceptLanguage: 'fr-BE' }), 'fr-FR');
  });

  it('honours q-values, keeping header order among equals', () => {
    assert.equal(negotiateLocale({ acceptLanguage: 'de;q=1, fr;q=0.8, en;q=0.5' }), 'fr-FR');
    assert.equal(negotiateLocale({ acceptLanguage: 'fr;q=0.5, en;q=0.9' }), 'en-US');
    assert.equal(negotiateLocale({ acceptLanguage: 'fr, en' }), 'fr-FR');
    assert.equal(negotiateLocale({ acceptLanguage: 'fr;q=0, de' }), 'en-US');
  });

  it('falls back to en-US for unknown, wildcard, empty or garbled input', () => {
    for (const acceptLanguage of ['de-DE', '*', '', ';;;,,,', 'fr;q=abc', 'x'.repeat(10_000)]) {
      assert.equal(negotiateLocale({ acceptLanguage }), 'en-US', acceptLanguage.slice(0, 20));
    }
    assert.equal(negotiateLocale({}), DEFAULT_LOCALE);
    assert.deepEqual(LOCALES, ['en-US', 'fr-FR']);
  });

  it('maps every culture Partner Center supports without failing', () => {
    const url = new URL(
      '../../../fixtures/partner-center/partner-center-locales.json',
      import.meta.url,
    );
    const { distinct_cultures: cultures } = JSON.parse(readFileSync(url, 'utf8')) as {
      distinct_cultures: string[];
    };
    assert.ok(cultures.length > 20);
    for (const culture of cultures) {
      const expected = culture.startsWith('fr-') ? 'fr-FR' : 'en-US';
      assert.equal(negotiateLocale({ xLocale: culture }), expected, culture);
    }
  });
});

describe('parseAcceptLanguage and matchLocale', () => {
  it('orders tags by q-value and drops q=0', () => {
    assert.deepEqual(parseAcceptLanguage('en;q=0.2, fr-CA, de;q=0.9, it;q=0'), [
      'fr-CA',
      'de',
      'en',
    ]);
    assert.deepEqual(parseAcceptLanguage(' es ; q=2 , pt'), ['es', 'pt']);
  });

  it('matches exact tags, then languages, case-insensitively', () => {
    assert.equal(matchLocale('FR-fr'), 'fr-FR');
    assert.equal(matchLocale('fr_CH'), 'fr-FR');
    assert.equal(matchLocale('en-GB'), 'en-US');
    assert.equal(matchLocale('de'), undefined);
    assert.equal(matchLocale('*'), undefined);
  });
});

describe('default descriptions and reason phrases', () => {
  it('exist in both locales for every contract status', () => {
    for (const { status } of STATUSES) {
      for (const locale of LOCALES) {
        assert.ok(defaultDescription(status, locale).length > 5);
        assert.ok(reasonPhrase(status, locale).length > 3);
      }
      assert.notEqual(defaultDescription(status, 'fr-FR'), defaultDescription(status, 'en-US'));
    }
    assert.equal(defaultDescription(404, 'fr-FR'), 'La ressource demandée est introuvable.');
    assert.equal(reasonPhrase(429, 'fr-FR'), 'Demandes trop nombreuses');
  });

  it('fall back to the reason phrase for other statuses', () => {
    assert.equal(defaultDescription(410), 'Gone.');
    assert.equal(defaultDescription(410, 'fr-FR'), 'Supprimé.');
    assert.equal(defaultDescription(599), 'Server Error.');
  });
});
