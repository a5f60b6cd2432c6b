/** locateJsonError: agrees with JSON.parse on validity and says where the text breaks. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseJsonBody } from '../src/body/index.js';
import { locateJsonError } from '../src/body/json-error.js';

function valid(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

test('locates the break: line, column, what was found', () => {
  const cases: [string, string][] = [
    ['{"a":}', '"}" 1:6'],
    ['{"a":1', 'end of input 1:7'],
    ['{a:1}', '"a" 1:2'],
    ['[1,2,,]', '"," 1:6'],
    ['tru', 'end of input 1:4'],
    ['"abc', 'end of input 1:5'],
    ['{"a":"\\q"}', '"\\\\" 1:7'],
    ['1 2', '"2" 1:3'],
    ['{\n  "a": [1,\n  2,]\n}', '"]" 3:5'],
    ['01', '"1" 1:2'],
  ];
  for (const [text, expected] of cases) {
    const where = locateJsonError(text);
    assert.ok(where, text);
    assert.equal(`${where.found} ${where.line}:${where.column}`, expected, text);
  }
});

test('the 400 description names the place', () => {
  assert.throws(
    () => parseJsonBody('{"name": "x",}'),
    (e: Error & { description?: string }) =>
      e.description ===
      'The request body is not valid JSON: unexpected "}" at line 1, column 14 (position 13).',
  );
});

test('no recursion: 1 000 000 unclosed brackets are located, not a stack overflow', () => {
  const where = locateJsonError('['.repeat(1_000_000));
  assert.equal(where?.found, 'end of input');
});

test('property: valid exactly when JSON.parse accepts', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.json(),
        fc.string(),
        fc.json().map((j) => j.slice(0, -1)),
        fc.json().map((j) => `${j}]`),
        fc.json().map((j) => j.replace(':', '')),
      ),
      (text) => {
        assert.equal(locateJsonError(text) === undefined, valid(text), JSON.stringify(text));
      },
    ),
    { numRuns: 3000 },
  );
});
