/** Seek paging: an opaque continuation token that carries the last id of the previous page. */

import { invalidInput } from '../errors.js';

/** The default and largest page sizes. */
export const PAGE_SIZE = { default: 100, max: 500 } as const;

/** Encodes "continue after this id". */
export function encodeContinuation(lastId: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: lastId })).toString('base64url');
}

/** Decodes a continuation token; a malformed one is the caller's 400, never a 500. */
export function decodeContinuation(token: string): string {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    const after = (value as { after?: unknown } | null)?.after;
    if (typeof after === 'string' && after.length <= 128) return after;
  } catch {
    // falls through to the 400
  }
  throw invalidInput('MS-ContinuationToken is not a token this service issued.');
}

/** Reads `size` from the query: 1–500, default 100. */
export function pageSize(query: URLSearchParams): number {
  const raw = query.get('size');
  if (raw === null) return PAGE_SIZE.default;
  const size = Number(raw);
  if (!/^\d+$/.test(raw) || size < 1 || size > PAGE_SIZE.max) {
    throw invalidInput(`size must be an integer between 1 and ${PAGE_SIZE.max}.`);
  }
  return size;
}
