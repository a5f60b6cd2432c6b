/** Lenient normalization of any error response, for consumers. Never throws. */
// STUB: the contract helper replaces this with the full implementation.

import { toDescription } from './description.js';
import type { ErrorBody } from './error-body.js';

/** Response headers in any common form. */
export type HeadersLike =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** What {@link normalizeErrorResponse} reads. */
export interface NormalizeInput {
  /** The HTTP status. */
  status: number;
  /** The response headers (a `Headers`, or a plain object with any casing). */
  headers?: HeadersLike | undefined;
  /** The body: text, bytes, or nothing. */
  bodyText?: string | Uint8Array | null | undefined;
}

/** One thing the normalizer repaired. */
export interface Deviation {
  /** A stable name for the deviation (`code-not-string`, `not-json`, `html-entities` …). */
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
  /** The raw body text (bounded), as received. */
  raw: string;
}

/**
 * Turns any error response into a contract-shaped body and lists what it repaired.
 */
export function normalizeErrorResponse(input: NormalizeInput): NormalizedError {
  const raw = typeof input.bodyText === 'string' ? input.bodyText : '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const obj = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  const body: ErrorBody = {
    code:
      obj['code'] === undefined || obj['code'] === null
        ? String(input.status)
        : String(obj['code']),
    description: toDescription(obj['description'] ?? obj['message'], { status: input.status }),
    source: typeof obj['source'] === 'string' ? obj['source'] : 'unknown',
  };
  if (Array.isArray(obj['data'])) body.data = obj['data'];
  return { body, deviations: [], raw };
}
