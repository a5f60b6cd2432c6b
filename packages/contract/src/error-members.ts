/** Reads the contract members out of a parsed error object, repairing and reporting each. */

import { codePointLength, MAX_DESCRIPTION_LENGTH, toDescription } from './description.js';
import { type Context, note } from './deviations.js';
import { decodeHtmlEntities } from './html-entities.js';
import { MAX_DATA_DEPTH, valueNestsDeeperThan } from './json-depth.js';
import { getHeader } from './response-headers.js';

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** Whether `value` is a JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Most keys members could be spelled with another case are checked against; bounds the scan.
const MAX_KEYS_SCANNED = 256;

/** The member `name` of `obj`, or a member spelled with another case (`Source`). */
function member(ctx: Context, obj: JsonObject, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name];
  let scanned = 0;
  for (const key in obj) {
    if (++scanned > MAX_KEYS_SCANNED) break;
    if (Object.hasOwn(obj, key) && key.toLowerCase() === name.toLowerCase()) {
      note(ctx, 'member-case', `\`${key}\` was read as \`${name}\`.`);
      return obj[key];
    }
  }
  return undefined;
}

/** A short phrase naming the JSON type of `value` (`a number`, `null`, `an array`). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The body's `code` as a string: a number becomes its digits, a missing one comes from `statusCode` or the status. */
export function pickCode(ctx: Context, obj: JsonObject): string {
  const fallback = String(ctx.status);
  const code = member(ctx, obj, 'code');
  if (typeof code === 'string') {
    if (code.trim() !== '') return code;
    note(ctx, 'code-empty', `\`code\` is empty; the status ${fallback} was used.`);
    return fallback;
  }
  if (typeof code === 'number' && Number.isFinite(code)) {
    note(
      ctx,
      'code-not-string',
      `\`code\` is the number ${code}; it was made the string "${code}".`,
    );
    return String(code);
  }
  if (code === null) {
    note(ctx, 'code-null', `\`code\` is null; the status ${fallback} was used.`);
    return fallback;
  }
  if (code !== undefined) {
    note(
      ctx,
      'code-not-string',
      `\`code\` is ${describeType(code)}; the status ${fallback} was used.`,
    );
    return fallback;
  }
  for (const name of ['statusCode', 'errorCode', 'error_code']) {
    const other = member(ctx, obj, name);
    const usable =
      (typeof other === 'number' && Number.isInteger(other)) ||
      (typeof other === 'string' && /^[\w.-]{1,64}$/.test(other));
    if (!usable) continue;
    const kind = name === 'statusCode' ? 'code-from-status-code' : 'code-from-other-member';
    note(ctx, kind, `\`code\` is missing; it was taken from \`${name}\`.`);
    return String(other);
  }
  note(ctx, 'code-missing', `\`code\` is missing; the status ${fallback} was used.`);
  return fallback;
}

// Members other APIs put the explanation in, tried in order when `description` is unusable.
const DESCRIPTION_ALTERNATIVES = [
  'message',
  'detail',
  'error_description',
  'errorMessage',
  'title',
];

/** The explanation the body gives (`description`, else `message`, `detail` …), before repairs. */
export function rawDescription(ctx: Context, obj: JsonObject): string | undefined {
  const value = member(ctx, obj, 'description');
  if (typeof value === 'string' && value.trim() !== '') return value;
  let why: string;
  if (value === undefined) {
    why = 'is missing';
  } else if (value === null) {
    why = 'is null';
  } else if (typeof value === 'string') {
    why = 'is empty';
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    note(
      ctx,
      'description-not-string',
      `\`description\` is ${describeType(value)}; it was made a string.`,
    );
    return String(value);
  } else {
    why = `is ${describeType(value)}`;
  }
  for (const name of DESCRIPTION_ALTERNATIVES) {
    const other = member(ctx, obj, name);
    if (typeof other !== 'string' || other.trim() === '') continue;
    const kind = name === 'message' ? 'description-from-message' : 'description-from-other-member';
    note(ctx, kind, `\`description\` ${why}; it was taken from \`${name}\`.`);
    return other;
  }
  const kind =
    value === undefined
      ? 'description-missing'
      : value === null
        ? 'description-null'
        : typeof value === 'string'
          ? 'description-empty'
          : 'description-not-string';
  note(ctx, kind, `\`description\` ${why}; the status's default description was used.`);
  return undefined;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function looksLikeSerializedJson(text: string): boolean {
  const trimmed = text.trim();
  const first = trimmed[0];
  const last = trimmed[trimmed.length - 1];
  if (!((first === '{' && last === '}') || (first === '[' && last === ']'))) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}

/** Makes `text` (a description found in a body) valid, noting each repair. */
export function finishDescription(ctx: Context, text: string | undefined): string {
  const options = { status: ctx.status, locale: ctx.locale };
  if (text === undefined) return toDescription(undefined, options);
  const decoded = decodeHtmlEntities(text);
  if (decoded !== text) {
    note(ctx, 'html-entities', '`description` held HTML character references; they were decoded.');
  }
  if (decoded.trim() === '') {
    note(
      ctx,
      'description-empty',
      "`description` is blank; the status's default description was used.",
    );
    return toDescription(undefined, options);
  }
  if (looksLikeSerializedJson(decoded)) {
    note(ctx, 'description-json', '`description` is serialized JSON; it was kept as a string.');
  }
  if (LONE_SURROGATE.test(decoded)) {
    note(
      ctx,
      'description-lone-surrogates',
      '`description` held lone surrogates; they became U+FFFD.',
    );
  }
  if (
    decoded.length > MAX_DESCRIPTION_LENGTH &&
    codePointLength(decoded) > MAX_DESCRIPTION_LENGTH
  ) {
    note(
      ctx,
      'description-too-long',
      `\`description\` has ${codePointLength(decoded)} characters; it was cut to ${MAX_DESCRIPTION_LENGTH}.`,
    );
  }
  return toDescription(decoded, options);
}

/** The body's `data` as an array: a single value is wrapped, null and too-deep data are left out. */
export function pickData(ctx: Context, obj: JsonObject): unknown[] | undefined {
  const data = member(ctx, obj, 'data');
  if (data === undefined) return undefined;
  if (data === null) {
    note(ctx, 'data-null', '`data` is null; it was left out.');
    return undefined;
  }
  let list: unknown[];
  if (Array.isArray(data)) {
    list = data;
  } else {
    note(ctx, 'data-not-array', `\`data\` is ${describeType(data)}; it was wrapped in an array.`);
    list = [data];
  }
  // Iterative, and bounded by the size of `data`, which is tiny in almost every body.
  if (list.length > 0 && valueNestsDeeperThan(list, MAX_DATA_DEPTH)) {
    note(
      ctx,
      'data-too-deep',
      `\`data\` nests deeper than ${MAX_DATA_DEPTH} levels; it was left out.`,
    );
    return undefined;
  }
  return list;
}

/** The `source` used when a body has none: the `Server` header when it has one, else 'unknown'. */
export function fallbackSource(ctx: Context): string {
  const server = getHeader(ctx.headers, 'server')
    ?.replace(/[^\x20-\x7e]/g, '')
    .trim();
  return server ? server.slice(0, 64) : 'unknown';
}

/** The body's `source`, else the `Server` header, else `unknown`. */
export function pickSource(ctx: Context, obj: JsonObject): string {
  const source = member(ctx, obj, 'source');
  if (typeof source === 'string' && source.trim() !== '') return source;
  const fallback = fallbackSource(ctx);
  if (typeof source === 'number' || typeof source === 'boolean') {
    note(ctx, 'source-not-string', `\`source\` is ${describeType(source)}; it was made a string.`);
    return String(source);
  }
  const [kind, why] =
    source === undefined
      ? (['source-missing', 'is missing'] as const)
      : source === null
        ? (['source-null', 'is null'] as const)
        : typeof source === 'string'
          ? (['source-empty', 'is empty'] as const)
          : (['source-not-string', `is ${describeType(source)}`] as const);
  note(ctx, kind, `\`source\` ${why}; "${fallback}" was used.`);
  return fallback;
}

const CONTRACT_MEMBERS = new Set(['code', 'description', 'data', 'source']);
const MAX_EXTRAS = 32;

/** The other top-level members with scalar values (`errorName`, `isRetryable` …), at most 32. */
export function pickExtras(
  obj: JsonObject,
): Record<string, string | number | boolean | null> | undefined {
  // A null-prototype object: a `__proto__` member stays an ordinary key.
  const extras: Record<string, string | number | boolean | null> = Object.create(null);
  let count = 0;
  for (const key of Object.keys(obj).slice(0, MAX_KEYS_SCANNED)) {
    if (CONTRACT_MEMBERS.has(key)) continue;
    const value = obj[key];
    if (
      value === null ||
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean'
    ) {
      extras[key] = value;
      if (++count >= MAX_EXTRAS) break;
    }
  }
  return count > 0 ? extras : undefined;
}
