import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isApiError, validateErrorBody } from '@apifault/contract';
import fc from 'fast-check';
import {
  checkPreconditions,
  type PreconditionOptions,
  type PreconditionResult,
  parseHttpDate,
  type ResourceState,
} from '../src/preconditions/index.js';

const T0 = Date.UTC(2024, 0, 10, 12, 0, 0); // Wed, 10 Jan 2024 12:00:00 GMT
const BEFORE = 'Tue, 09 Jan 2024 12:00:00 GMT';
const AT = 'Wed, 10 Jan 2024 12:00:00 GMT';
const AFTER = 'Thu, 11 Jan 2024 12:00:00 GMT';
const NOW = Date.UTC(2024, 0, 12);
const FUTURE = 'Sat, 20 Jan 2024 12:00:00 GMT';

const resource: ResourceState = { etag: '"v2"', lastModified: T0 };

interface Case {
  name: string;
  method?: string;
  headers: Record<string, string | string[]>;
  current?: ResourceState;
  options?: PreconditionOptions;
  /** The result, or the failing header of a 412. */
  expect: PreconditionResult | { status: 412; header: string };
}

const fails = (header: string) => ({ status: 412 as const, header });

const cases: Case[] = [
  // No conditions.
  { name: 'no conditional header', headers: {}, expect: 'proceed' },
  {
    name: 'no header, require set',
    method: 'PATCH',
    headers: {},
    options: { require: true },
    expect: fails('If-Match'),
  },

  // If-Match: strong comparison.
  {
    name: 'If-Match same strong tag',
    method: 'PATCH',
    headers: { 'if-match': '"v2"' },
    expect: 'proceed',
  },
  {
    name: 'If-Match other tag',
    method: 'PATCH',
    headers: { 'if-match': '"v1"' },
    expect: fails('If-Match'),
  },
  {
    name: 'If-Match weak form of the tag',
    method: 'PATCH',
    headers: { 'if-match': 'W/"v2"' },
    expect: fails('If-Match'),
  },
  {
    name: 'If-Match strong tag, resource tag weak',
    method: 'PATCH',
    headers: { 'if-match': '"v2"' },
    current: { etag: 'W/"v2"' },
    expect: fails('If-Match'),
  },
  {
    name: 'If-Match list containing the tag',
    method: 'PUT',
    headers: { 'if-match': '"v0", "v1" ,"v2"' },
    expect: 'proceed',
  },
  {
    name: 'If-Match list with empty elements',
    method: 'PUT',
    headers: { 'if-match': ', "v1",, "v2",' },
    expect: 'proceed',
  },
  {
    name: 'If-Match list without the tag',
    method: 'PUT',
    headers: { 'if-match': '"v0", W/"v2"' },
    expect: fails('If-Match'),
  },
  {
    name: 'If-Match repeated header lines',
    method: 'PUT',
    headers: { 'if-match': ['"v0"', '"v2"'] },
    expect: 'proceed',
  },
  {
    name: 'If-Match * on an existing resource',
    method: 'DELETE',
    headers: { 'if-match': '*' },
    expect: 'proceed',
  },
  {
    name: 'If-Match * on a missing resource',
    method: 'PUT',
    headers: { 'if-match': '*' },
    current: { exists: false },
    expect: fails('If-Match'),
  },
  {
    name: 'If-Match tag on a missing resource',
    method: 'PUT',
    headers: { 'if-match': '"v2"' },
    current: { etag: '"v2"', exists: false },
    expect: fails('If-Match'),
  },
  {
    name: 'If-Match on a resource without etag',
    method: 'PUT',
    headers: { 'if-match': '"v2"' },
    current: {},
    expect: fails('If-Match'),
  },
  {
    name: 'If-Match unquoted single token (Partner Center clients)',
    method: 'PATCH',
    headers: { 'if-match': 'v2' },
    expect: 'proceed',
  },
  {
    name: 'If-Match unquoted token, bare resource etag',
    method: 'PATCH',
    headers: { 'if-match': 'eyJ2IjoyfQ==' },
    current: { etag: 'eyJ2IjoyfQ==' },
    expect: 'proceed',
  },
  {
    name: 'If-Match quoted, bare resource etag',
    method: 'PATCH',
    headers: { 'if-match': '"eyJ2IjoyfQ=="' },
    current: { etag: 'eyJ2IjoyfQ==' },
    expect: 'proceed',
  },
  {
    name: 'If-Match unquoted list is malformed',
    method: 'PATCH',
    headers: { 'if-match': 'v1, v2' },
    expect: fails('If-Match'),
  },
  {
    name: 'If-Match unterminated quote',
    method: 'PATCH',
    headers: { 'if-match': '"v2' },
    expect: fails('If-Match'),
  },
  {
    name: 'If-Match garbage after a tag',
    method: 'PATCH',
    headers: { 'if-match': '"v2" x' },
    expect: fails('If-Match'),
  },
  {
    name: 'If-Match * mixed with tags',
    method: 'PATCH',
    headers: { 'if-match': '*, "v2"' },
    expect: fails('If-Match'),
  },
  {
    name: 'If-Match empty value matches nothing',
    method: 'PATCH',
    headers: { 'if-match': '' },
    expect: fails('If-Match'),
  },
  {
    name: 'If-Match header name in mixed case',
    method: 'PATCH',
    headers: { 'If-Match': '"v1"' },
    expect: fails('If-Match'),
  },
  {
    name: 'If-Match, require set, matching',
    method: 'PATCH',
    headers: { 'if-match': '"v2"' },
    options: { require: true },
    expect: 'proceed',
  },
  {
    name: 'If-Match fails on GET too',
    method: 'GET',
    headers: { 'if-match': '"v1"' },
    expect: fails('If-Match'),
  },

  // If-Unmodified-Since, only without If-Match.
  {
    name: 'If-Unmodified-Since after the change',
    method: 'PUT',
    headers: { 'if-unmodified-since': AFTER },
    expect: 'proceed',
  },
  {
    name: 'If-Unmodified-Since at the change',
    method: 'PUT',
    headers: { 'if-unmodified-since': AT },
    expect: 'proceed',
  },
  {
    name: 'If-Unmodified-Since before the change',
    method: 'PUT',
    headers: { 'if-unmodified-since': BEFORE },
    expect: fails('If-Unmodified-Since'),
  },
  {
    name: 'If-Unmodified-Since, sub-second change within the same second',
    method: 'PUT',
    headers: { 'if-unmodified-since': AT },
    current: { lastModified: T0 + 999 },
    expect: 'proceed',
  },
  {
    name: 'If-Unmodified-Since invalid date is ignored',
    method: 'PUT',
    headers: { 'if-unmodified-since': 'yesterday' },
    expect: 'proceed',
  },
  {
    name: 'If-Unmodified-Since without lastModified is ignored',
    method: 'PUT',
    headers: { 'if-unmodified-since': BEFORE },
    current: { etag: '"v2"' },
    expect: 'proceed',
  },
  {
    name: 'If-Unmodified-Since ignored when If-Match passes',
    method: 'PUT',
    headers: { 'if-match': '"v2"', 'if-unmodified-since': BEFORE },
    expect: 'proceed',
  },
  {
    name: 'If-Match failing wins over a passing If-Unmodified-Since',
    method: 'PUT',
    headers: { 'if-match': '"v1"', 'if-unmodified-since': AFTER },
    expect: fails('If-Match'),
  },
  {
    name: 'If-Unmodified-Since with Date lastModified',
    method: 'PUT',
    headers: { 'if-unmodified-since': BEFORE },
    current: { lastModified: new Date(T0) },
    expect: fails('If-Unmodified-Since'),
  },

  // If-None-Match: weak comparison.
  {
    name: 'If-None-Match same tag, GET',
    method: 'GET',
    headers: { 'if-none-match': '"v2"' },
    expect: 'not-modified',
  },
  {
    name: 'If-None-Match same tag, HEAD',
    method: 'HEAD',
    headers: { 'if-none-match': '"v2"' },
    expect: 'not-modified',
  },
  {
    name: 'If-None-Match weak form matches (weak comparison)',
    method: 'GET',
    headers: { 'if-none-match': 'W/"v2"' },
    expect: 'not-modified',
  },
  {
    name: 'If-None-Match other tag, GET',
    method: 'GET',
    headers: { 'if-none-match': '"v1", "v0"' },
    expect: 'proceed',
  },
  {
    name: 'If-None-Match same tag, PUT',
    method: 'PUT',
    headers: { 'if-none-match': '"v1", "v2"' },
    expect: fails('If-None-Match'),
  },
  {
    name: 'If-None-Match * on an existing resource, PUT',
    method: 'PUT',
    headers: { 'if-none-match': '*' },
    expect: fails('If-None-Match'),
  },
  {
    name: 'If-None-Match * on a missing resource, PUT (create)',
    method: 'PUT',
    headers: { 'if-none-match': '*' },
    current: { exists: false },
    expect: 'proceed',
  },
  {
    name: 'If-None-Match * on an existing resource, GET',
    method: 'GET',
    headers: { 'if-none-match': '*' },
    expect: 'not-modified',
  },
  {
    name: 'If-None-Match malformed, GET is served',
    method: 'GET',
    headers: { 'if-none-match': '"v2' },
    expect: 'proceed',
  },
  {
    name: 'If-None-Match malformed, POST is refused',
    method: 'POST',
    headers: { 'if-none-match': '"v2' },
    expect: fails('If-None-Match'),
  },
  {
    name: 'If-None-Match, resource without etag',
    method: 'GET',
    headers: { 'if-none-match': '"v2"' },
    current: {},
    expect: 'proceed',
  },
  {
    name: 'If-Match passes then If-None-Match matches (PUT)',
    method: 'PUT',
    headers: { 'if-match': '"v2"', 'if-none-match': '"v2"' },
    expect: fails('If-None-Match'),
  },
  {
    name: 'If-Match fails before If-None-Match is looked at',
    method: 'GET',
    headers: { 'if-match': '"v1"', 'if-none-match': '"v2"' },
    expect: fails('If-Match'),
  },
  {
    name: 'If-Unmodified-Since fails before If-None-Match',
    method: 'GET',
    headers: { 'if-unmodified-since': BEFORE, 'if-none-match': '"v2"' },
    expect: fails('If-Unmodified-Since'),
  },

  // If-Modified-Since: GET/HEAD only, only without If-None-Match.
  {
    name: 'If-Modified-Since at the change, GET',
    method: 'GET',
    headers: { 'if-modified-since': AT },
    expect: 'not-modified',
  },
  {
    name: 'If-Modified-Since after the change, HEAD',
    method: 'HEAD',
    headers: { 'if-modified-since': AFTER },
    expect: 'not-modified',
  },
  {
    name: 'If-Modified-Since before the change, GET',
    method: 'GET',
    headers: { 'if-modified-since': BEFORE },
    expect: 'proceed',
  },
  {
    name: 'If-Modified-Since on PUT is ignored',
    method: 'PUT',
    headers: { 'if-modified-since': AFTER },
    expect: 'proceed',
  },
  {
    name: 'If-Modified-Since in the future is ignored',
    method: 'GET',
    headers: { 'if-modified-since': FUTURE },
    expect: 'proceed',
  },
  {
    name: 'If-Modified-Since invalid is ignored',
    method: 'GET',
    headers: { 'if-modified-since': 'not a date' },
    expect: 'proceed',
  },
  {
    name: 'If-Modified-Since with two values is ignored',
    method: 'GET',
    headers: { 'if-modified-since': [AT, AFTER] },
    expect: 'proceed',
  },
  {
    name: 'If-Modified-Since ignored when If-None-Match is present',
    method: 'GET',
    headers: { 'if-none-match': '"v1"', 'if-modified-since': AFTER },
    expect: 'proceed',
  },
  {
    name: 'If-Modified-Since RFC 850 form',
    method: 'GET',
    headers: { 'if-modified-since': 'Wednesday, 10-Jan-24 12:00:00 GMT' },
    expect: 'not-modified',
  },
  {
    name: 'If-Modified-Since asctime form',
    method: 'GET',
    headers: { 'if-modified-since': 'Wed Jan 10 12:00:00 2024' },
    expect: 'not-modified',
  },
];

describe('checkPreconditions: RFC 9110 §13.2.2 table', () => {
  for (const c of cases) {
    it(c.name, () => {
      const run = () =>
        checkPreconditions(
          { method: c.method ?? 'GET', headers: c.headers },
          c.current ?? resource,
          { now: NOW, ...c.options },
        );
      if (typeof c.expect === 'string') {
        assert.equal(run(), c.expect);
        return;
      }
      const expected = c.expect;
      assert.throws(run, (error: unknown) => {
        assert.ok(isApiError(error));
        assert.equal(error.status, expected.status);
        const detail = error.data?.[0] as { header: string } | undefined;
        assert.equal(detail?.header, expected.header);
        assert.match(error.description ?? '', new RegExp(expected.header));
        assert.deepEqual(validateErrorBody(error.toBody()), []);
        return true;
      });
    });
  }
});

describe('checkPreconditions: what a 412 tells the caller', () => {
  it('names the current etag and nothing more', () => {
    try {
      checkPreconditions(
        { method: 'PATCH', headers: { 'if-match': '"v1"' } },
        { etag: 'secret-free-v2', lastModified: T0 },
      );
      assert.fail('expected a 412');
    } catch (error) {
      assert.ok(isApiError(error));
      const body = error.toBody({ source: 'test' });
      assert.equal(body.code, '412');
      assert.match(body.description, /"secret-free-v2"/);
      assert.deepEqual(body.data, [{ header: 'If-Match', currentEtag: '"secret-free-v2"' }]);
    }
  });

  it('does not reveal the last-modified date', () => {
    try {
      checkPreconditions({ method: 'PUT', headers: { 'if-unmodified-since': BEFORE } }, resource);
      assert.fail('expected a 412');
    } catch (error) {
      assert.ok(isApiError(error));
      assert.doesNotMatch(JSON.stringify(error.toBody()), /2024|GMT/);
    }
  });

  it('rejects an invalid resource etag as a programming error', () => {
    assert.throws(
      () => checkPreconditions({ method: 'GET', headers: {} }, { etag: 'has space' }),
      TypeError,
    );
  });
});

describe('parseHttpDate', () => {
  it('reads the three forms as the same instant', () => {
    const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
    assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), expected);
    assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW), expected);
    assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994'), expected);
  });

  it('refuses anything else', () => {
    for (const bad of [
      '2024-01-10',
      'Sun, 06 Nov 1994 08:49:37 UTC',
      'Mon, 31 Feb 2024 00:00:00 GMT',
      '',
      '0',
    ]) {
      assert.equal(parseHttpDate(bad), undefined, bad);
    }
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

  it('checkPreconditions answers any header values with a result or a valid 412, nothing else', () => {
    const names = fc.constantFrom(
      'if-match',
      'if-none-match',
      'if-modified-since',
      'if-unmodified-since',
    );
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'POST'),
        fc.dictionary(names, headerText, { maxKeys: 4 }),
        fc.boolean(),
        (method, headers, exists) => {
          try {
            const result = checkPreconditions(
              { method, headers },
              { ...resource, exists },
              { now: NOW },
            );
            assert.ok(
              result === 'proceed' ||
                (result === 'not-modified' && (method === 'GET' || method === 'HEAD')),
            );
          } catch (error) {
            assert.ok(isApiError(error));
            assert.equal(error.status, 412);
            assert.deepEqual(validateErrorBody(error.toBody()), []);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
