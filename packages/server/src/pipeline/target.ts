/** The path policy: one answer on every adapter for targets no route should see. */

import { badRequest } from '@apifault/contract';

/** Options of the path policy. */
export interface TargetOptions {
  /**
   * The longest path (without the query string) accepted; a longer one is answered 400.
   * @default 4096
   */
  maxPathLength?: number;
  /**
   * The longest path segment accepted (a route parameter is one segment); longer is 400.
   * @default 1024
   */
  maxSegmentLength?: number;
}

/** {@link TargetOptions} with the defaults applied. */
export interface TargetLimits {
  readonly maxPathLength: number;
  readonly maxSegmentLength: number;
}

/** Applies the defaults of {@link TargetOptions}. */
export function targetLimits(options: TargetOptions = {}): TargetLimits {
  const length = options.maxPathLength;
  const segment = options.maxSegmentLength;
  return {
    maxPathLength: typeof length === 'number' && length >= 1 ? Math.floor(length) : 4096,
    maxSegmentLength: typeof segment === 'number' && segment >= 1 ? Math.floor(segment) : 1024,
  };
}

/** The path of a request target: everything before its query string, as sent. */
export function pathOfTarget(target: string): string {
  const q = target.indexOf('?');
  return q === -1 ? target : target.slice(0, q);
}

// A percent-encoded unreserved character (RFC 3986 §2.3: letters, digits, `-._~`).
const ENCODED_UNRESERVED = /%(?:3[0-9]|4[1-9a-f]|5[0-9a]|6[1-9a-f]|7[0-9a]|2[de]|5f|7e)/i;

// `.` and `..`, also percent-encoded (`%2e`, `.%2E` …).
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * Checks a request path against the policy and throws the 400 it breaks, else returns.
 * - an origin-form path starts with `/`; the asterisk-form `*` (server-wide `OPTIONS`) and
 *   anything else names no resource;
 * - no `.` or `..` segment: a dot segment never reaches another route;
 * - every `%` starts a valid UTF-8 percent-encoding, and none encodes a character that needs
 *   no encoding (`%73` for `s`): routers disagree on decoding those before matching, so one
 *   would route `/%73ecure` to `/secure` while a rule on the path sees another path;
 * - at most `maxPathLength` characters, and `maxSegmentLength` per segment.
 * Case is significant and a trailing slash makes another path: those are the routes' to
 * answer (404).
 */
export function checkTarget(path: string, limits: TargetLimits): void {
  if (path.charCodeAt(0) !== 47 /* / */) {
    throw badRequest(
      path === '*'
        ? 'The request target * names no resource: OPTIONS is answered per resource.'
        : 'The request target must be a path starting with /.',
    );
  }
  if (path.length > limits.maxPathLength) {
    throw badRequest(`The request path is longer than ${limits.maxPathLength} characters.`);
  }
  // The common path (short, plain segments) is checked in one pass with no allocation.
  let start = 1;
  const encoded = path.indexOf('%') !== -1;
  for (let i = 1; i <= path.length; i++) {
    if (i < path.length && path.charCodeAt(i) !== 47) continue;
    const length = i - start;
    if (length > limits.maxSegmentLength) {
      throw badRequest(
        `A segment of the request path is longer than ${limits.maxSegmentLength} characters.`,
      );
    }
    if (length > 0 && length <= 6 && isDotSegment(path, start, i)) {
      throw badRequest('The request path must not contain "." or ".." segments.');
    }
    start = i + 1;
  }
  if (encoded) {
    try {
      decodeURIComponent(path);
    } catch {
      throw badRequest('The request path has an invalid percent-encoding.');
    }
    if (ENCODED_UNRESERVED.test(path)) {
      throw badRequest(
        'The request path percent-encodes a character that needs no encoding (RFC 3986 §2.3).',
      );
    }
  }
}

function isDotSegment(path: string, start: number, end: number): boolean {
  const first = path.charCodeAt(start);
  if (first !== 46 /* . */ && first !== 37 /* % */) return false;
  return DOT_SEGMENT.test(path.slice(start, end));
}
