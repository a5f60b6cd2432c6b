/** normalizeErrorResponse repairs what real services and gateways send, and says what it repaired. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEVIATION_KINDS,
  type NormalizedError,
  normalizeErrorResponse,
  validateErrorBody,
} from '@apifault/contract';
import { MAX_BODY_LENGTH } from '../src/body-text.js';

function check(result: NormalizedError): NormalizedError {
  assert.deepEqual(validateErrorBody(result.body), []);
  for (const { kind } of result.deviations) {
    assert.ok((DEVIATION_KINDS as readonly string[]).includes(kind), kind);
  }
  return result;
}

const kinds = (result: NormalizedError) => result.deviations.map((d) => d.kind);

describe('normalizeErrorResponse: contract bodies', () => {
  it('passes a contract body through untouched, with no deviations', () => {
    const body = { code: '3000', description: 'Not found.', data: ['x'], source: 'PartnerFD' };
    const result = check(normalizeErrorResponse({ status: 404, bodyText: JSON.stringify(body) }));
    assert.deepEqual(result.body, body);
    assert.deepEqual(result.deviations, []);
    assert.equal(result.extras, undefined);
  });
});

describe('normalizeErrorResponse: members', () => {
  it('replaces null members and says so', () => {
    const result = check(
      normalizeErrorResponse({
        status: 409,
        bodyText: '{"code":null,"description":null,"data":null,"source":null}',
      }),
    );
    assert.deepEqual(result.body, {
      code: '409',
      description: 'The request conflicts with the current state of the resource.',
      source: 'unknown',
    });
    assert.deepEqual(kinds(result), ['code-null', 'description-null', 'data-null', 'source-null']);
  });

  it('wraps data that is not an array', () => {
    const object = check(
      normalizeErrorResponse({
        status: 400,
        bodyText: '{"code":"1","description":"d","source":"s","data":{"field":"id"}}',
      }),
    );
    assert.deepEqual(object.body.data, [{ field: 'id' }]);
    assert.deepEqual(kinds(object), ['data-not-array']);
    const text = check(
      normalizeErrorResponse({
        status: 400,
        bodyText: '{"code":"1","description":"d","source":"s","data":"stack trace"}',
      }),
    );
    assert.deepEqual(text.body.data, ['stack trace']);
  });

  it('reads members spelled with another case', () => {
    const result = check(
      normalizeErrorResponse({
        status: 400,
        bodyText: '{"Code":"7","Description":"Bad.","Source":"Error"}',
      }),
    );
    assert.deepEqual(result.body, { code: '7', description: 'Bad.', source: 'Error' });
    assert.deepEqual(kinds(result), ['member-case', 'member-case', 'member-case']);
  });

  it('reads an error nested in an `error` member (Azure and Graph style)', () => {
    const result = check(
      normalizeErrorResponse({
        status: 403,
        bodyText:
          '{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges."}}',
      }),
    );
    assert.equal(result.body.code, 'Authorization_RequestDenied');
    assert.equal(result.body.description, 'Insufficient privileges.');
    assert.deepEqual(kinds(result), ['nested-error', 'description-from-message', 'source-missing']);
  });

  it('replaces unusable codes with the status and blank descriptions with the default', () => {
    const result = check(
      normalizeErrorResponse({
        status: 412,
        bodyText: '{"code":"  ","description":"&#32;","source":""}',
        locale: 'fr-FR',
      }),
    );
    assert.equal(result.body.code, '412');
    assert.equal(
      result.body.description,
      'Une précondition de la requête a échoué : la ressource a changé.',
    );
    assert.deepEqual(kinds(result), [
      'code-empty',
      'html-entities',
      'description-empty',
      'source-empty',
    ]);
    const weird = check(
      normalizeErrorResponse({
        status: 400,
        bodyText: '{"code":{"a":1},"description":12,"source":true}',
      }),
    );
    assert.deepEqual(weird.body, { code: '400', description: '12', source: 'true' });
  });

  it('takes a missing source from the Server header', () => {
    const headers = new Headers({ Server: 'Microsoft-IIS/10.0' });
    const result = check(
      normalizeErrorResponse({ status: 400, headers, bodyText: '{"code":"1","description":"d"}' }),
    );
    assert.equal(result.body.source, 'Microsoft-IIS/10.0');
    const plain = check(
      normalizeErrorResponse({ status: 502, headers: { SERVER: ['envoy'] }, bodyText: '' }),
    );
    assert.equal(plain.body.source, 'envoy');
  });

  it('decodes character references in descriptions, once', () => {
    const result = check(
      normalizeErrorResponse({
        status: 400,
        bodyText: JSON.stringify({
          code: '1',
          description: 'Caf&eacute; &amp;#39; &#x1F600; &#146;s &bogus; &lt;b&gt;',
          source: 's',
        }),
      }),
    );
    assert.equal(result.body.description, 'Café &#39; \u{1F600} \u2019s &bogus; <b>');
  });

  it('cuts descriptions over 1024 code points with an ellipsis', () => {
    const result = check(
      normalizeErrorResponse({
        status: 400,
        bodyText: JSON.stringify({ code: '1', description: '\u{1F600}'.repeat(2000), source: 's' }),
      }),
    );
    assert.equal([...result.body.description].length, 1024);
    assert.ok(result.body.description.endsWith('\u{1F600}…'));
    assert.deepEqual(kinds(result), ['description-too-long']);
  });

  it('replaces lone surrogates from JSON escapes', () => {
    const result = check(
      normalizeErrorResponse({
        status: 400,
        bodyText: '{"code":"1","description":"a\\ud800b","source":"s"}',
      }),
    );
    assert.equal(result.body.description, 'a\uFFFDb');
    assert.deepEqual(kinds(result), ['description-lone-surrogates']);
  });
});

describe('normalizeErrorResponse: gateway bodies', () => {
  it('reads the title of an HTML error page', () => {
    const html =
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
    const result = check(
      normalizeErrorResponse({
        status: 502,
        headers: { 'content-type': 'text/html' },
        bodyText: html,
      }),
    );
    assert.deepEqual(result.body, {
      code: '502',
      description: '502 Bad Gateway',
      source: 'unknown',
    });
    assert.deepEqual(kinds(result), ['html-body']);
    assert.equal(result.raw, html);
  });

  it('falls back to the h1, then the text, of a page without a title', () => {
    const h1 = check(
      normalizeErrorResponse({
        status: 503,
        bodyText:
          '<!DOCTYPE html><body><script>var a="<h1>x</h1>";</script><h1>Service&nbsp;Unavailable</h1></body>',
      }),
    );
    assert.equal(h1.body.description, 'Service Unavailable');
    const text = check(
      normalizeErrorResponse({
        status: 504,
        bodyText: '<html><body><p>The gateway <b>timed out</b>.</p></body></html>',
      }),
    );
    assert.equal(text.body.description, 'The gateway timed out .');
  });

  it('uses short plain text as the description', () => {
    const result = check(
      normalizeErrorResponse({
        status: 503,
        headers: { 'Content-Type': 'text/plain' },
        bodyText:
          'upstream connect error or disconnect/reset before headers.\n reset reason: overflow',
      }),
    );
    assert.equal(
      result.body.description,
      'upstream connect error or disconnect/reset before headers. reset reason: overflow',
    );
    assert.deepEqual(kinds(result), ['text-body']);
  });

  it('uses the localized default for long, empty or unreadable text', () => {
    const long = check(
      normalizeErrorResponse({ status: 500, bodyText: 'at Foo.bar()\n'.repeat(200) }),
    );
    assert.equal(long.body.description, 'The service met an unexpected error. Retry later.');
    const empty = check(normalizeErrorResponse({ status: 504, bodyText: null, locale: 'fr-FR' }));
    assert.equal(
      empty.body.description,
      "Un service dont dépend cette requête n'a pas répondu à temps.",
    );
    assert.deepEqual(kinds(empty), ['empty-body']);
    const binary = check(
      normalizeErrorResponse({ status: 502, bodyText: new Uint8Array([0xff, 0x00, 0x01, 0xfe]) }),
    );
    assert.equal(binary.body.description, 'A service this request depends on answered badly.');
    assert.deepEqual(kinds(binary), ['invalid-utf8', 'text-body']);
  });
});

describe('normalizeErrorResponse: broken JSON', () => {
  it('drops a member cut in the middle of a truncated body', () => {
    const result = check(
      normalizeErrorResponse({
        status: 404,
        bodyText: '{"code": 3000, "description": "Customer c1 was not found.", "source": "Partn',
      }),
    );
    assert.deepEqual(result.body, {
      code: '3000',
      description: 'Customer c1 was not found.',
      source: 'unknown',
    });
    assert.deepEqual(kinds(result), ['json-repaired', 'code-not-string', 'source-missing']);
    assert.match(result.deviations[0]!.message, /cut short/);
  });

  it('repairs trailing commas, raw newlines in strings and list markers', () => {
    const result = check(
      normalizeErrorResponse({
        status: 400,
        bodyText:
          '2) {"code": "9", "description": "line one\nline two", "data": [1, 2,], "source": "s",}',
      }),
    );
    assert.deepEqual(result.body, {
      code: '9',
      description: 'line one\nline two',
      data: [1, 2],
      source: 's',
    });
    assert.match(result.deviations[0]!.message, /list marker.*control characters.*trailing comma/);
  });

  it('gives up soundly on placeholders and mismatched brackets', () => {
    for (const bodyText of ['{"code": <string>}', '{"code": "1"]', '{"a":1} trailing', '[{]']) {
      const result = check(normalizeErrorResponse({ status: 400, bodyText }));
      assert.deepEqual(kinds(result), ['invalid-json'], bodyText);
      assert.equal(result.body.code, '400');
    }
  });

  it('treats an unterminated string or number as invalid JSON, not as a crash', () => {
    for (const bodyText of ['"abc', '"', '-', '[', '{"a', '1. ']) {
      const result = check(normalizeErrorResponse({ status: 502, bodyText }));
      assert.equal(kinds(result).includes('normalizer-fallback'), false, bodyText);
    }
  });

  it('reads bodies given as an ArrayBuffer or a Buffer', () => {
    const json = '{"code":"5","description":"d","source":"s"}';
    const buffer = Buffer.from(json);
    const fromArrayBuffer = normalizeErrorResponse({
      status: 400,
      bodyText: new TextEncoder().encode(json).buffer,
    });
    assert.equal(check(fromArrayBuffer).body.code, '5');
    assert.equal(check(normalizeErrorResponse({ status: 400, bodyText: buffer })).body.code, '5');
  });

  it('reads a JSON string body as text, and other JSON values as nothing', () => {
    const text = check(
      normalizeErrorResponse({ status: 500, bodyText: '"Backend &amp; cache down"' }),
    );
    assert.equal(text.body.description, 'Backend & cache down');
    assert.deepEqual(kinds(text), ['not-object']);
    const array = check(normalizeErrorResponse({ status: 500, bodyText: '[1,2]' }));
    assert.equal(array.body.code, '500');
    for (const bodyText of ['null', ' 404 ', 'true', '-1.5e3']) {
      const scalar = check(normalizeErrorResponse({ status: 502, bodyText }));
      assert.deepEqual(kinds(scalar), ['not-object'], bodyText);
      assert.equal(scalar.body.description, 'A service this request depends on answered badly.');
    }
  });
});

describe('normalizeErrorResponse: bounds', () => {
  it('reads only the first 1 MiB of a huge body', () => {
    const huge = `{"code":"1","description":"${'x'.repeat(3 * MAX_BODY_LENGTH)}"}`;
    const result = check(normalizeErrorResponse({ status: 400, bodyText: huge }));
    assert.equal(result.raw.length, MAX_BODY_LENGTH);
    assert.equal(kinds(result)[0], 'body-truncated');
    assert.equal(result.body.code, '1');
    const bytes = new Uint8Array(2 * MAX_BODY_LENGTH).fill(0x41);
    bytes.set(new TextEncoder().encode('\u00e9\u00e9'), MAX_BODY_LENGTH - 1);
    const fromBytes = check(normalizeErrorResponse({ status: 502, bodyText: bytes }));
    assert.ok(fromBytes.raw.length <= MAX_BODY_LENGTH);
    assert.deepEqual(kinds(fromBytes), ['body-truncated', 'text-body']);
  });

  it('leaves out data nested too deep to serialize', () => {
    const depth = 100_000;
    const bodyText = `{"code":"1","description":"d","source":"s","data":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const result = check(normalizeErrorResponse({ status: 400, bodyText }));
    assert.equal(result.body.data, undefined);
    assert.deepEqual(kinds(result), ['data-too-deep']);
    assert.doesNotThrow(() => JSON.stringify(result.body));
  });

  it('reads any status outside 400-599 as 500', () => {
    for (const status of [0, 200, 302, 600, Number.NaN, 404.5]) {
      const result = check(normalizeErrorResponse({ status, bodyText: '' }));
      assert.equal(result.body.code, '500');
      assert.equal(kinds(result)[0], 'status-not-error');
    }
  });

  it('survives hostile headers and input objects', () => {
    const headers = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    ) as Record<string, string>;
    check(normalizeErrorResponse({ status: 502, headers, bodyText: 'x' }));
    const getter = {
      get status(): number {
        throw new Error('boom');
      },
    };
    const result = check(normalizeErrorResponse(getter));
    assert.deepEqual(kinds(result), ['normalizer-fallback']);
  });
});
