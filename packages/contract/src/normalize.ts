/** Lenient normalization of any error response into the contract, for consumers. Never throws. */

import { readBodyText } from './body-text.js';
import { codePointLength, MAX_DESCRIPTION_LENGTH, toDescription } from './description.js';
import type { ErrorBody } from './error-body.js';
import { decodeHtmlEntities } from './html-entities.js';
import { MAX_DATA_DEPTH, textNestsDeeperThan, valueNestsDeeperThan } from './json-depth.js';
import { parseLenientJson } from './lenient-json.js';
import { DEFAULT_LOCALE, defaultDescription, type Locale } from './locales.js';
import { getHeader, type HeadersLike } from './response-headers.js';
import { describeText, looksLikeHtml } from './text-description.js';

export type { HeadersLike } from './response-headers.js';

/** What {@link normalizeErrorResponse} reads. */
export interface NormalizeInput {
  /** The HTTP status. Anything but an integer 400–599 is read as 500. */
  status: number;
  /** The response headers (a `Headers`, or a plain object with any casing). */
  headers?: HeadersLike | undefined;
  /** The body: text, bytes (decoded as UTF-8), or nothing. Only the first 1 MiB is read. */
  bodyText?: string | Uint8Array | null | undefined;
  /** The locale of default descriptions. @default 'en-US' */
  locale?: Locale | undefined;
}

/** One thing the normalizer repaired. */
export interface Deviation {
  /** A stable name for the deviation (`code-not-string`, `invalid-json`, `html-entities` …); see {@link DEVIATION_KINDS}. */
  kind: string;
  /** A plain sentence saying what was repaired. */
  message: string;
}

/** What {@link normalizeErrorResponse} returns. */
export interface NormalizedError {
  /** A body that always passes `validateErrorBody`. */
  body: ErrorBody;
  /** What was repaired; empty when the response followed the contract. */
  deviations: Deviation[];
  /** The raw body text (bounded to 1 MiB), as received. */
  raw: string;
  /**
   * The body's other top-level members whose values are strings, numbers, booleans or
   * null (`errorName`, `isRetryable`, `statusCode` …), when there are any.
   */
  extras?: Record<string, string | number | boolean | null>;
}

/** Every deviation kind {@link normalizeErrorResponse} reports, in the order it checks them. */
export const DEVIATION_KINDS = Object.freeze([
  'status-not-error',
  'body-truncated',
  'invalid-utf8',
  'bom',
  'empty-body',
  'html-body',
  'text-body',
  'json-repaired',
  'invalid-json',
  'not-object',
  'nested-error',
  'member-case',
  'code-missing',
  'code-null',
  'code-not-string',
  'code-empty',
  'code-from-status-code',
  'code-from-other-member',
  'description-missing',
  'description-null',
  'description-not-string',
  'description-empty',
  'description-from-message',
  'description-from-other-member',
  'html-entities',
  'description-json',
  'description-lone-surrogates',
  'description-too-long',
  'data-null',
  'data-not-array',
  'data-too-deep',
  'source-missing',
  'source-null',
  'source-not-string',
  'source-empty',
  'normalizer-fallback',
] as const);

/** A deviation kind (see {@link DEVIATION_KINDS}). */
export type DeviationKind = (typeof DEVIATION_KINDS)[number];

type JsonObject = Record<string, unknown>;

interface Context {
  status: number;
  locale: Locale;
  headers: HeadersLike | undefined;
  deviations: Deviation[];
  extras: Record<string, string | number | boolean | null> | undefined;
}

function note(ctx: Context, kind: DeviationKind, message: string): void {
  ctx.deviations.push({ kind, message });
}

function isObject(value: unknown): value is JsonObject {
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

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function pickCode(ctx: Context, obj: JsonObject): string {
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

function rawDescription(ctx: Context, obj: JsonObject): string | undefined {
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
function finishDescription(ctx: Context, text: string | undefined): string {
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

function pickData(ctx: Context, obj: JsonObject, text: string): unknown[] | undefined {
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
  // The text scan is cheap and rules out deep nesting for almost every body.
  if (
    list.length > 0 &&
    textNestsDeeperThan(text, MAX_DATA_DEPTH) &&
    valueNestsDeeperThan(list, MAX_DATA_DEPTH)
  ) {
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
function fallbackSource(ctx: Context): string {
  const server = getHeader(ctx.headers, 'server')
    ?.replace(/[^\x20-\x7e]/g, '')
    .trim();
  return server ? server.slice(0, 64) : 'unknown';
}

function pickSource(ctx: Context, obj: JsonObject): string {
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

function pickExtras(obj: JsonObject): Record<string, string | number | boolean | null> | undefined {
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

/** Builds the body from a parsed JSON object. */
function fromObject(ctx: Context, parsed: JsonObject, text: string): ErrorBody {
  let obj = parsed;
  const nested = obj['error'];
  if (
    isObject(nested) &&
    !Object.hasOwn(obj, 'code') &&
    !Object.hasOwn(obj, 'description') &&
    (Object.hasOwn(nested, 'code') || Object.hasOwn(nested, 'message'))
  ) {
    note(ctx, 'nested-error', 'The error was nested in an `error` member; it was read from there.');
    obj = { source: obj['source'], ...nested };
  }
  const code = pickCode(ctx, obj);
  const description = finishDescription(ctx, rawDescription(ctx, obj));
  const data = pickData(ctx, obj, text);
  const source = pickSource(ctx, obj);
  const body: ErrorBody =
    data === undefined ? { code, description, source } : { code, description, data, source };
  ctx.extras = pickExtras(obj);
  return body;
}

function defaultBody(ctx: Context, description?: string): ErrorBody {
  return {
    code: String(ctx.status),
    description: toDescription(description, { status: ctx.status, locale: ctx.locale }),
    source: fallbackSource(ctx),
  };
}

function fromJsonText(ctx: Context, text: string): ErrorBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const repaired = parseLenientJson(text);
    if (!repaired) {
      note(ctx, 'invalid-json', 'The body looks like JSON but is not, and could not be repaired.');
      return defaultBody(ctx);
    }
    note(
      ctx,
      'json-repaired',
      `The body is not valid JSON; repaired: ${repaired.repairs.join(', ')}.`,
    );
    value = repaired.value;
  }
  if (isObject(value)) return fromObject(ctx, value, text);
  if (Array.isArray(value) && isObject(value[0])) {
    note(ctx, 'not-object', 'The body is an array; its first item was read as the error.');
    return fromObject(ctx, value[0], text);
  }
  note(ctx, 'not-object', `The body is ${describeType(value)}, not a JSON object.`);
  const said =
    typeof value === 'string' ? describeText(decodeHtmlEntities(value), false) : undefined;
  return defaultBody(ctx, said);
}

function fromText(ctx: Context, text: string): ErrorBody {
  const html = looksLikeHtml(text, getHeader(ctx.headers, 'content-type'));
  const found = describeText(text, html);
  note(
    ctx,
    html ? 'html-body' : 'text-body',
    `The body is ${html ? 'HTML' : 'plain text'}, not JSON; ${
      found ? 'its text' : "the status's default description"
    } was used.`,
  );
  return defaultBody(ctx, found);
}

const JSON_START = /^\s*(?:\d{1,4}[.)]\s*)?[[{"]/;

function normalize(input: NormalizeInput, ctx: Context): NormalizedError {
  const read = readBodyText(input.bodyText);
  if (read.truncated) {
    note(ctx, 'body-truncated', 'The body is over 1 MiB; only its first 1 MiB was read.');
  }
  if (read.invalidUtf8) {
    note(ctx, 'invalid-utf8', 'The body is not valid UTF-8; bad bytes became U+FFFD.');
  }
  if (read.bom) note(ctx, 'bom', 'The body starts with a byte-order mark; it was removed.');
  const text = read.text;
  let body: ErrorBody;
  if (text.trim() === '') {
    note(ctx, 'empty-body', "The body is empty; the status's default description was used.");
    body = defaultBody(ctx);
  } else if (JSON_START.test(text.slice(0, 64))) {
    body = fromJsonText(ctx, text);
  } else {
    body = fromText(ctx, text);
  }
  return ctx.extras
    ? { body, deviations: ctx.deviations, raw: read.raw, extras: ctx.extras }
    : { body, deviations: ctx.deviations, raw: read.raw };
}

/**
 * Turns any error response into a contract-shaped body and lists what it repaired. It
 * survives numeric codes, the 429 `{ statusCode, message }` shape, `{ code, message,
 * description, errorName, isRetryable }`, HTML character references, HTML and text pages
 * from gateways, empty and broken JSON bodies, a byte-order mark, `null` members and huge
 * bodies (only the first 1 MiB is read). It never throws, and `body` always passes
 * `validateErrorBody`.
 *
 * @example
 * normalizeErrorResponse({ status: 429, bodyText: '{"statusCode":429,"message":"Slow down."}' }).body
 * // { code: '429', description: 'Slow down.', source: 'unknown' }
 */
export function normalizeErrorResponse(input: NormalizeInput): NormalizedError {
  const ctx: Context = {
    status: 500,
    locale: DEFAULT_LOCALE,
    headers: undefined,
    deviations: [],
    extras: undefined,
  };
  try {
    const status: unknown = input.status;
    const valid =
      typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599;
    if (valid) ctx.status = status;
    else {
      const shown = typeof status === 'number' ? String(status) : typeof status;
      note(
        ctx,
        'status-not-error',
        `The status ${shown} is not an error status; it was read as 500.`,
      );
    }
    if (input.locale === 'fr-FR') ctx.locale = 'fr-FR';
    ctx.headers = input.headers ?? undefined;
    return normalize(input, ctx);
  } catch {
    // Unreachable by design (hostile getters aside): a consumer must never see an exception.
    return {
      body: {
        code: String(ctx.status),
        description: defaultDescription(ctx.status),
        source: 'unknown',
      },
      deviations: [
        ...ctx.deviations,
        {
          kind: 'normalizer-fallback',
          message: 'The response could not be read; a default body was used.',
        },
      ],
      raw: '',
    };
  }
}
