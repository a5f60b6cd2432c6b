/** Strict validation of an error body, for producers. */

import { codePointLength, MAX_DESCRIPTION_LENGTH } from './description.js';
import type { ErrorBody } from './error-body.js';

/** One way a body breaks the contract. */
export interface Violation {
  /** JSON Pointer to the offending member (`/description`), `` for the body itself. */
  path: string;
  /** Which rule: `type`, `required`, `not-null`, `non-empty`, `max-length`. */
  rule: 'type' | 'required' | 'not-null' | 'non-empty' | 'max-length';
  /** A plain sentence saying what is wrong. */
  message: string;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function checkString(name: 'code' | 'description' | 'source', value: unknown, out: Violation[]) {
  const path = `/${name}`;
  if (value === undefined) {
    out.push({
      path,
      rule: 'required',
      message: `\`${name}\` is missing; it must always be present.`,
    });
  } else if (value === null) {
    out.push({ path, rule: 'not-null', message: `\`${name}\` is null; it must be a string.` });
  } else if (typeof value !== 'string') {
    out.push({
      path,
      rule: 'type',
      message: `\`${name}\` is ${typeName(value)}; it must be a string.`,
    });
  }
}

function collect(code: unknown, description: unknown, data: unknown, source: unknown) {
  const out: Violation[] = [];
  checkString('code', code, out);
  checkString('description', description, out);
  if (typeof description === 'string') {
    if (description === '') {
      out.push({
        path: '/description',
        rule: 'non-empty',
        message: '`description` is empty; it must explain the error.',
      });
    } else if (
      description.length > MAX_DESCRIPTION_LENGTH &&
      codePointLength(description) > MAX_DESCRIPTION_LENGTH
    ) {
      out.push({
        path: '/description',
        rule: 'max-length',
        message: `\`description\` has ${codePointLength(description)} characters; at most ${MAX_DESCRIPTION_LENGTH} are allowed.`,
      });
    }
  }
  if (data !== undefined && !Array.isArray(data)) {
    out.push({
      path: '/data',
      rule: 'type',
      message: `\`data\` is ${typeName(data)}; when present it must be an array.`,
    });
  }
  checkString('source', source, out);
  return out;
}

/**
 * Checks `value` against the contract and returns every violation (an empty array when
 * the body is valid). Extra members are allowed; a member whose value is `undefined`
 * counts as missing, as it does in JSON and in JSON Schema validators.
 *
 * @example validateErrorBody({ code: '404', description: '', source: 'x' })
 * // [{ path: '/description', rule: 'non-empty', message: '`description` is empty; …' }]
 */
export function validateErrorBody(value: unknown): Violation[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [
      {
        path: '',
        rule: 'type',
        message: `The body is ${typeName(value)}; it must be a JSON object.`,
      },
    ];
  }
  const body = value as Record<string, unknown>;
  const code = body['code'];
  const description = body['description'];
  const data = body['data'];
  const source = body['source'];
  // Fast path for the common valid body: within 1024 code units means within 1024 code points.
  if (
    typeof code === 'string' &&
    typeof description === 'string' &&
    typeof source === 'string' &&
    description.length !== 0 &&
    description.length <= MAX_DESCRIPTION_LENGTH &&
    (data === undefined || Array.isArray(data))
  ) {
    return [];
  }
  return collect(code, description, data, source);
}

/** Whether `value` is a valid error body. */
export function isErrorBody(value: unknown): value is ErrorBody {
  return validateErrorBody(value).length === 0;
}
