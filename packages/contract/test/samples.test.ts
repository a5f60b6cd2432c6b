/** Every documented Partner Center error sample goes through normalizeErrorResponse. */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { normalizeErrorResponse, validateErrorBody } from '@apifault/contract';

interface Sample {
  status: number | null;
  kind: string;
  headers: Record<string, string>;
  body_text: string;
  note: string | null;
}

// The documented samples, kept in the repository as fixtures (see fixtures/partner-center).
const samplesUrl = new URL(
  '../../../fixtures/partner-center/partner-center-error-samples.json',
  import.meta.url,
);
const samples = JSON.parse(readFileSync(samplesUrl, 'utf8')) as Sample[];

interface Expected {
  /** The status to pass when the sample shows none (with the reason in a comment). */
  status?: number;
  code: string;
  /** The exact description; when omitted, the sample's own `description` member. */
  description?: string;
  /** `data`, or `'absent'`. */
  data: unknown[] | 'absent';
  source: string;
  deviations: string[];
}

const NUMERIC_CODE = ['code-not-string'];
const MPA_FAQ = 'https://docs.microsoft.com/partner-center/mpa-indirect-provider-faq';
const DEFAULT_400 = 'The request is not valid.';
const DEFAULT_500 = 'The service met an unexpected error. Retry later.';
const NOT_AN_ERROR = ['status-not-error', 'code-missing', 'description-missing', 'source-missing'];

const expected: Record<number, Expected> = {
  0: {
    code: '429',
    description: 'Rate limit is exceeded. Try again in 57 seconds.',
    data: 'absent',
    source: 'unknown',
    deviations: ['code-from-status-code', 'description-from-message', 'source-missing'],
  },
  1: {
    code: '60012',
    description:
      "We're sorry, it looks like you've run out of licenses. Buy more licenses, and then try again.",
    data: [
      'LicenseQuotaExceededException : Subscription with Account 0c39d6d5-c70d-4c55-bc02-f620844f3fd1 and SKU f8a1db68-be16-40ed-86d5-cb42ce701560 does not have any available licenses left.',
    ],
    source: 'PartnerFD',
    deviations: ['code-not-string', 'html-entities'],
  },
  2: {
    code: '3000',
    description: 'Partner Organization with partner_id 9999999 could not be found',
    data: [],
    source: 'PartnerFD',
    deviations: NUMERIC_CODE,
  },
  3: {
    code: '404',
    description: 'The requested resource was not found.',
    data: 'absent',
    source: 'unknown',
    deviations: ['empty-body'],
  },
  4: {
    code: '2000',
    description: 'Tenant Id must be a GUID.',
    data: [],
    source: 'PartnerApiServiceControllers',
    deviations: NUMERIC_CODE,
  },
  5: {
    code: '2000',
    description: 'MPN Id must be numeric.',
    data: [],
    source: 'PartnerApiServiceControllers',
    deviations: NUMERIC_CODE,
  },
  6: {
    code: '2001',
    description: 'Both MPN Id and Tenant Id cannot be empty.',
    data: [],
    source: 'ComplianceController',
    deviations: NUMERIC_CODE,
  },
  7: {
    code: '2000',
    description: 'Both MPN Id and Tenant Id should not be passed.',
    data: [],
    source: 'ComplianceController',
    deviations: NUMERIC_CODE,
  },
  8: {
    code: '2200',
    data: ['https://partner.microsoft.com/resources/detail/migrate-pmc-pc-mpa-guide-pptx'],
    source: 'PartnerFD',
    deviations: NUMERIC_CODE,
  },
  9: {
    code: '2201',
    description:
      'The CSP region of the MPN ID 1234567 doesn\u2019t match the CSP region from where you are placing the order. Provide the MPN ID for the CSP region where you are placing the order.',
    data: [MPA_FAQ],
    source: 'PartnerFD',
    deviations: NUMERIC_CODE,
  },
  10: { code: '2203', data: [MPA_FAQ], source: 'PartnerFD', deviations: NUMERIC_CODE },
  11: { code: '2204', data: [MPA_FAQ], source: 'PartnerFD', deviations: NUMERIC_CODE },
  12: {
    code: '2205',
    description:
      "Partner Center doesn't find any account associated to the Tenant ID 12345678-ACBD-1234-ABCD-123456789ABC",
    data: [],
    source: 'PartnerFD',
    deviations: NUMERIC_CODE,
  },
  13: { code: '2206', data: [MPA_FAQ], source: 'PartnerFD', deviations: NUMERIC_CODE },
  // error-codes.md lists 800090 under 400.
  14: {
    status: 400,
    code: '800090',
    description: 'Subscription quantity cannot be decreased.',
    data: [],
    source: 'PartnerFD',
    deviations: NUMERIC_CODE,
  },
  // "A partner confirmed agreement already exists": a conflict.
  15: {
    status: 409,
    code: '600061',
    description: 'A partner confirmed agreement already exists for the customer.',
    data: 'absent',
    source: 'unknown',
    deviations: ['code-not-string', 'source-missing'],
  },
  16: {
    code: '600074',
    description: 'Account Status for the customer, {customer-id} was not found.',
    data: 'absent',
    source: 'unknown',
    deviations: ['json-repaired', 'code-not-string', 'source-missing'],
  },
  // The schema template comes with a WWW-Authenticate line: read it as a 401.
  17: {
    status: 401,
    code: '401',
    description: 'The request is not authenticated: a valid bearer token is required.',
    data: 'absent',
    source: 'unknown',
    deviations: ['invalid-json'],
  },
  18: {
    code: '500',
    description: DEFAULT_500,
    data: 'absent',
    source: 'unknown',
    deviations: NOT_AN_ERROR,
  },
  19: {
    code: '500',
    description: DEFAULT_500,
    data: 'absent',
    source: 'unknown',
    deviations: [
      'status-not-error',
      'not-object',
      'code-missing',
      'description-missing',
      'source-missing',
    ],
  },
  20: {
    code: '500',
    description: DEFAULT_500,
    data: 'absent',
    source: 'unknown',
    deviations: NOT_AN_ERROR,
  },
  21: {
    code: '500',
    description: DEFAULT_500,
    data: 'absent',
    source: 'unknown',
    deviations: NOT_AN_ERROR,
  },
  22: {
    code: '500',
    description: DEFAULT_500,
    data: 'absent',
    source: 'unknown',
    deviations: NOT_AN_ERROR,
  },
  // No status line; the embedded error is a 400-class validation failure.
  23: {
    status: 400,
    code: '400',
    description: DEFAULT_400,
    data: 'absent',
    source: 'unknown',
    deviations: ['json-repaired', 'code-missing', 'description-missing', 'source-missing'],
  },
  24: {
    code: '500',
    description: DEFAULT_500,
    data: 'absent',
    source: 'unknown',
    deviations: [
      'status-not-error',
      'json-repaired',
      'code-missing',
      'description-missing',
      'source-missing',
    ],
  },
  25: {
    code: '2007',
    description:
      '{"code":"60071","reason":"ZipCityInvalid - Details: Field - \'City\' is corrected from OldValue: \'Redmond\' to NewValue: \'BELLEVUE\'.","corrected_address":{"country":"US","region":"WA","city":"BELLEVUE","address_line1":"One Microsoft Way","postal_code":"98007"},"object_type":"AddressValidation","resource_status":"Active"}',
    data: [],
    source: 'PartnerFD',
    deviations: ['code-not-string', 'html-entities', 'description-json'],
  },
  26: {
    status: 400,
    code: '400',
    description: DEFAULT_400,
    data: 'absent',
    source: 'unknown',
    deviations: ['invalid-json'],
  },
  27: {
    code: '2200',
    data: ['https://partner.microsoft.com/en-gb/resources/detail/migrate-pmc-pc-mpa-guide-pptx'],
    source: 'PartnerFD',
    deviations: NUMERIC_CODE,
  },
  28: {
    code: '2205',
    description:
      "Partner Center can't recongize the tenant Id 53dd1e09-3c86-4945-abca-8274d0ac3124",
    data: [],
    source: 'PartnerFD',
    deviations: NUMERIC_CODE,
  },
  29: {
    code: '2206',
    description:
      'PC Account associated to Tenant Id 53dd1e09-3c86-4945-abca-8274d0ac3124 not signed the agreement',
    data: [],
    source: 'PartnerFD',
    deviations: NUMERIC_CODE,
  },
};

describe('the 30 documented error samples', () => {
  it('are all here, each with an expectation', () => {
    assert.equal(samples.length, 30);
    assert.deepEqual(
      Object.keys(expected).map(Number),
      samples.map((_, i) => i),
    );
  });

  samples.forEach((sample, index) => {
    const want = expected[index]!;
    const status = want.status ?? sample.status ?? 400;
    it(`#${index} (${sample.kind}, ${status}) gives code ${want.code}`, () => {
      const result = normalizeErrorResponse({
        status,
        headers: sample.headers,
        bodyText: sample.body_text,
      });
      assert.deepEqual(validateErrorBody(result.body), []);
      assert.equal(result.body.code, want.code);
      const description =
        want.description ?? (JSON.parse(sample.body_text) as { description: string }).description;
      assert.equal(result.body.description, description);
      if (want.data === 'absent') assert.equal(Object.hasOwn(result.body, 'data'), false);
      else assert.deepEqual(result.body.data, want.data);
      assert.equal(result.body.source, want.source);
      assert.deepEqual(
        result.deviations.map((d) => d.kind),
        want.deviations,
      );
      for (const deviation of result.deviations) assert.ok(deviation.message.length > 10);
      assert.equal(result.raw, sample.body_text);
    });
  });

  it('#1 and #25 decode every character reference, leaving none behind', () => {
    for (const index of [1, 25]) {
      const sample = samples[index]!;
      const { body } = normalizeErrorResponse({ status: 400, bodyText: sample.body_text });
      assert.ok(sample.body_text.includes('&#39;'));
      assert.equal(body.description.includes('&#39;'), false);
    }
  });

  it('#15 and #16 keep errorName and isRetryable as extras', () => {
    for (const index of [15, 16]) {
      const result = normalizeErrorResponse({ status: 404, bodyText: samples[index]!.body_text });
      assert.equal(result.extras?.['isRetryable'], false);
      assert.match(String(result.extras?.['errorName']), /^(PartnerConfirmed|AccountStatus)/);
    }
  });

  it('#0 reads the same from bytes with a byte-order mark', () => {
    const sample = samples[0]!;
    const bytes = new TextEncoder().encode(`\uFEFF${sample.body_text}`);
    const result = normalizeErrorResponse({
      status: 429,
      headers: sample.headers,
      bodyText: bytes,
    });
    assert.equal(result.body.code, '429');
    assert.equal(result.body.description, 'Rate limit is exceeded. Try again in 57 seconds.');
    assert.equal(result.deviations[0]?.kind, 'bom');
  });
});
