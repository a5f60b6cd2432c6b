/** Evaluates conditional request headers against a resource's state, in RFC 9110 §13.2.2 order. */

import {
  type ApiError,
  type EntityTag,
  formatEtag,
  parseEtag,
  parseEtagList,
  preconditionFailed,
  strongMatch,
  weakMatch,
} from '@apifault/contract';
import { parseHttpDate } from './http-date.js';

/** The parts of a request the preconditions depend on. */
export interface PreconditionRequest {
  /** The request method (`GET`, `PATCH` …). */
  method: string;
  /** The request headers, names in lower case (as node:http gives them). */
  headers: Record<string, string | string[] | undefined>;
}

/** The target resource's current state. */
export interface ResourceState {
  /**
   * The current entity tag: formatted (`"v1"`, `W/"v1"`) or bare (`v1`, read as strong).
   * Undefined when the resource has none: then no `If-Match` list can match.
   */
  etag?: string | undefined;
  /** When the resource last changed (a Date or epoch milliseconds). */
  lastModified?: Date | number | undefined;
  /**
   * Whether the resource currently exists (`If-Match: *` needs it to, `If-None-Match: *`
   * needs it not to). Pass false when checking a create.
   * @default true
   */
  exists?: boolean;
}

/** Options of {@link checkPreconditions}. */
export interface PreconditionOptions {
  /**
   * Reject a request without `If-Match` with 412. The contract has no 428, so this is how
   * an update that must carry the ETag is refused. Set it on update routes only.
   * @default false
   */
  require?: boolean;
  /** The current time in epoch milliseconds (an `If-Modified-Since` in the future is ignored). @default Date.now() */
  now?: number;
}

/**
 * What the request may do: `'proceed'`, or `'not-modified'` when a GET/HEAD must be
 * answered 304 without a body (a success, not an error).
 */
export type PreconditionResult = 'proceed' | 'not-modified';

function header(
  headers: PreconditionRequest['headers'],
  name: string,
): string | string[] | undefined {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name) return headers[key];
  }
  return undefined;
}

function listHeader(headers: PreconditionRequest['headers'], name: string): string | undefined {
  const value = header(headers, name);
  return Array.isArray(value) ? value.join(', ') : value;
}

function dateHeader(
  headers: PreconditionRequest['headers'],
  name: string,
  now: number,
): number | undefined {
  const value = header(headers, name);
  // A date field with more than one member is invalid, and an invalid date is ignored.
  if (value === undefined || (Array.isArray(value) && value.length !== 1)) return undefined;
  return parseHttpDate(Array.isArray(value) ? value[0]! : value, now);
}

function fail(field: string, description: string, current?: EntityTag): ApiError {
  const detail: Record<string, string> = { header: field };
  if (current) detail['currentEtag'] = formatEtag(current.opaque, { weak: current.weak });
  return preconditionFailed({ description, data: [detail] });
}

function currentTagOf(state: ResourceState): EntityTag | undefined {
  if (state.etag === undefined) return undefined;
  const tag = parseEtag(state.etag);
  if (!tag) throw new TypeError('The resource etag is not a valid entity tag.');
  return tag;
}

function lastModifiedOf(state: ResourceState): number | undefined {
  if (state.lastModified === undefined) return undefined;
  const time =
    state.lastModified instanceof Date ? state.lastModified.getTime() : state.lastModified;
  // HTTP-dates have one-second resolution: compare at that resolution.
  return Number.isFinite(time) ? Math.floor(time / 1000) * 1000 : undefined;
}

function evaluateIfMatch(value: string, exists: boolean, current: EntityTag | undefined): void {
  const list = parseEtagList(value);
  if (list === null) {
    throw fail('If-Match', 'If-Match is not a valid list of entity tags.', current);
  }
  if (list === '*') {
    if (!exists) throw fail('If-Match', 'If-Match: * requires the resource to exist; it does not.');
    return;
  }
  if (!exists) {
    throw fail('If-Match', 'If-Match lists entity tags, but the resource does not exist.');
  }
  if (!current) {
    throw fail('If-Match', 'The resource has no entity tag, so If-Match cannot match.');
  }
  if (list.some((tag) => strongMatch(tag, current))) return;
  if (list.some((tag) => weakMatch(tag, current))) {
    throw fail(
      'If-Match',
      'If-Match uses the strong comparison: weak entity tags (W/"…") never match.',
      current,
    );
  }
  throw fail(
    'If-Match',
    `If-Match does not match the current entity tag ${formatEtag(current.opaque, { weak: current.weak })}: ` +
      'the resource changed since it was read. Read it again and re-apply the change.',
    current,
  );
}

/**
 * Evaluates `If-Match`, `If-Unmodified-Since`, `If-None-Match` and `If-Modified-Since` in
 * the order of RFC 9110 §13.2.2:
 * 1. `If-Match` (strong comparison; `*` matches an existing resource), else
 *    `If-Unmodified-Since` (ignored when not a valid date or no `lastModified` is known);
 * 2. `If-None-Match` (weak comparison; `*` matches an existing resource): a match is 304
 *    for GET/HEAD and 412 for other methods;
 * 3. without `If-None-Match`, `If-Modified-Since` for GET/HEAD only (304 when unchanged).
 *
 * A malformed `If-Match` fails (412). A malformed `If-None-Match` never lets a write through
 * (412) and never produces a 304 (ignored for GET/HEAD). A single unquoted token is read as
 * a strong tag, because Partner Center clients send `If-Match: v42` as well as `"v42"`.
 *
 * Descriptions name the failing header and, at most, the resource's current ETag.
 *
 * @returns `'proceed'`, or `'not-modified'` when a GET/HEAD must be answered 304
 * @throws ApiError 412 when a precondition fails
 * @throws TypeError when `current.etag` is not an entity tag (a bug in the caller)
 * @example
 * if (checkPreconditions(req, { etag: customer.attributes.etag }, { require: true }) === 'not-modified') …
 */
export function checkPreconditions(
  request: PreconditionRequest,
  current: ResourceState,
  options: PreconditionOptions = {},
): PreconditionResult {
  const now = options.now ?? Date.now();
  const method = request.method.toUpperCase();
  const safe = method === 'GET' || method === 'HEAD';
  const exists = current.exists ?? true;
  const currentTag = exists ? currentTagOf(current) : undefined;
  const lastModified = exists ? lastModifiedOf(current) : undefined;
  const { headers } = request;

  const ifMatch = listHeader(headers, 'if-match');
  if (ifMatch === undefined && options.require) {
    throw fail(
      'If-Match',
      "This request must carry If-Match with the resource's current entity tag.",
      currentTag,
    );
  }

  // Step 1 and 2: If-Match, or If-Unmodified-Since when If-Match is absent.
  if (ifMatch !== undefined) {
    evaluateIfMatch(ifMatch, exists, currentTag);
  } else {
    const since = dateHeader(headers, 'if-unmodified-since', now);
    if (since !== undefined && lastModified !== undefined && lastModified > since) {
      throw fail('If-Unmodified-Since', 'The resource was modified after If-Unmodified-Since.');
    }
  }

  // Step 3: If-None-Match.
  const ifNoneMatch = listHeader(headers, 'if-none-match');
  if (ifNoneMatch !== undefined) {
    const list = parseEtagList(ifNoneMatch);
    if (list === null) {
      if (safe) return 'proceed';
      throw fail('If-None-Match', 'If-None-Match is not a valid list of entity tags.');
    }
    const matched =
      list === '*'
        ? exists
        : currentTag !== undefined && list.some((tag) => weakMatch(tag, currentTag));
    if (!matched) return 'proceed';
    if (safe) return 'not-modified';
    throw fail(
      'If-None-Match',
      list === '*'
        ? 'If-None-Match: * requires the resource not to exist; it does.'
        : 'The current entity tag matches If-None-Match.',
      currentTag,
    );
  }

  // Step 4: If-Modified-Since, for GET and HEAD only.
  if (safe && lastModified !== undefined) {
    const since = dateHeader(headers, 'if-modified-since', now);
    // A date in the future is invalid (RFC 9110 §13.1.3): ignore it rather than answer 304.
    if (since !== undefined && since <= now && lastModified <= since) return 'not-modified';
  }
  return 'proceed';
}
