/** Lenient normalization of any error response into the contract, for consumers. Never throws. */

import { readBodyText } from './body-text.js';
import { toDescription } from './description.js';
import { type Context, type Deviation, note } from './deviations.js';
import type { ErrorBody } from './error-body.js';
import {
  describeType,
  fallbackSource,
  finishDescription,
  isObject,
  type JsonObject,
  pickCode,
  pickData,
  pickExtras,
  pickSource,
  rawDescription,
} from './error-members.js';
import { decodeHtmlEntities } from './html-entities.js';
import { parseLenientJson } from './lenient-json.js';
import { DEFAULT_LOCALE, defaultDescription, type Locale } from './locales.js';
import { getHeader, type HeadersLike } from './response-headers.js';
import { describeText, looksLikeHtml } from './text-description.js';

export { DEVIATION_KINDS, type Deviation, type DeviationKind } from './deviations.js';
export type { HeadersLike } from './response-headers.js';

/** What {@link normalizeErrorResponse} reads. */
export interface NormalizeInput {
  /** The HTTP status. Anything but an integer 400–599 is read as 500. */
  status: number;
  /** The response headers (a `Headers`, or a plain object with any casing). */
  headers?: HeadersLike | undefined;
  /** The body: text, bytes (decoded as UTF-8), or nothing. Only the first 1 MiB is read. */
  bodyText?: string | Uint8Array | ArrayBuffer | null | undefined;
  /** The locale of default descriptions. @default 'en-US' */
  locale?: Locale | undefined;
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

/** Builds the body from a parsed JSON object. */
function fromObject(ctx: Context, parsed: JsonObject): ErrorBody {
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
  const data = pickData(ctx, obj);
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
  if (isObject(value)) return fromObject(ctx, value);
  if (Array.isArray(value) && isObject(value[0])) {
    note(ctx, 'not-object', 'The body is an array; its first item was read as the error.');
    return fromObject(ctx, value[0]);
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

// An object, array or string (after an optional list marker), or a whole-body JSON scalar.
const JSON_START = /^\s*(?:(?:\d{1,4}[.)]\s*)?[[{"]|(?:null|true|false|-?\d[\d.eE+-]*)\s*$)/;

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
        description: defaultDescription(ctx.status, ctx.locale),
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
