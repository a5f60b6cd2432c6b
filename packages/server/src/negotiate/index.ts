/** 406: whether a request's `Accept` header admits `application/json`, or another media type a route answers in, per RFC 9110 §12.5.1. */

import { notAcceptable } from '@apifault/contract';
import type { HeadersRecord } from '../request-ids/index.js';

// The common values, answered without parsing.
const ACCEPTED_FAST = new Set([
  '',
  '*/*',
  'application/json',
  'application/json, text/plain, */*',
  'application/json; charset=utf-8',
  'application/json;charset=utf-8',
]);

/** The longest `Accept` value examined; longer headers are cut (ranges past the cut are ignored). */
export const MAX_ACCEPT_LENGTH = 4096;

// RFC 9110 qvalue: 0, 0.xxx, 1, 1.000. Anything else makes the range invalid.
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

function qualityOf(params: string[]): number | undefined {
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq === -1) continue;
    if (param.slice(0, eq).trim().toLowerCase() !== 'q') continue;
    const value = param.slice(eq + 1).trim();
    if (!QVALUE.test(value)) return undefined;
    return Number(value);
  }
  return 1;
}

/**
 * Whether `accept` admits `mediaType` (a `type/subtype`, lower-case). The most specific
 * matching range decides (`text/event-stream` over `text/*` over `*\/*`), and a q-value of 0
 * excludes; a range with media-type parameters other than `charset=utf-8` asks for something
 * else. A missing or empty header, or one with no valid range at all, admits everything.
 *
 * @example accepts('text/event-stream', 'text/event-stream') // true
 * @example accepts('application/json', 'text/event-stream') // false
 */
export function accepts(accept: string | string[] | undefined, mediaType: string): boolean {
  if (accept === undefined) return true;
  const header = Array.isArray(accept) ? accept.join(',') : accept;
  const wanted = mediaType.toLowerCase();
  const wantedSlash = wanted.indexOf('/');
  const wantedType = wanted.slice(0, wantedSlash);
  let exact: number | undefined;
  let typeWildcard: number | undefined;
  let anyWildcard: number | undefined;
  let valid = 0;
  for (const range of header.slice(0, MAX_ACCEPT_LENGTH).split(',')) {
    const [mediaRange = '', ...params] = range.split(';');
    const media = mediaRange.trim().toLowerCase();
    if (media === '') continue;
    const slash = media.indexOf('/');
    if (slash <= 0 || slash === media.length - 1) continue;
    const q = qualityOf(params);
    if (q === undefined) continue;
    valid++;
    const type = media.slice(0, slash);
    const subtype = media.slice(slash + 1);
    if (media === wanted) {
      if (!otherParams(params)) exact = Math.max(exact ?? 0, q);
    } else if (type === wantedType && subtype === '*') {
      typeWildcard = Math.max(typeWildcard ?? 0, q);
    } else if (type === '*' && subtype === '*') {
      anyWildcard = Math.max(anyWildcard ?? 0, q);
    }
  }
  if (valid === 0) return true;
  const q = exact ?? typeWildcard ?? anyWildcard ?? 0;
  return q > 0;
}

/**
 * Whether `accept` admits `application/json` (see {@link accepts}).
 *
 * @example acceptsJson('text/html, application/*;q=0.5') // true
 * @example acceptsJson('application/json;q=0, *\/*') // false
 */
export function acceptsJson(accept: string | string[] | undefined): boolean {
  if (accept === undefined) return true;
  if (typeof accept === 'string' && ACCEPTED_FAST.has(accept)) return true;
  return accepts(accept, 'application/json');
}

function otherParams(params: string[]): boolean {
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    const key = name.trim().toLowerCase();
    if (key === 'q' || key === '') continue;
    if (key === 'charset' && value.trim().replace(/"/g, '').toLowerCase() === 'utf-8') continue;
    return true;
  }
  return false;
}

/**
 * Throws the contract's 406 when the request's `Accept` excludes `application/json` and
 * every one of `produces`, the other media types its route answers in.
 *
 * @example checkAccept(headers, ['text/event-stream'])
 */
export function checkAccept(headers: HeadersRecord, produces: readonly string[] = []): void {
  const accept = headers['accept'];
  if (acceptsJson(accept)) return;
  for (const mediaType of produces) if (accepts(accept, mediaType)) return;
  throw notAcceptable();
}
