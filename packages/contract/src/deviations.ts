/** The repairs normalizeErrorResponse reports, and the state it records them in. */

import type { Locale } from './locales.js';
import type { HeadersLike } from './response-headers.js';

/** One thing the normalizer repaired. */
export interface Deviation {
  /** A stable name for the deviation (`code-not-string`, `invalid-json`, `html-entities` …); see {@link DEVIATION_KINDS}. */
  kind: string;
  /** A plain sentence saying what was repaired. */
  message: string;
}

/** Every deviation kind `normalizeErrorResponse` reports, in the order it checks them. */
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

/** What one normalization knows and has repaired so far. */
export interface Context {
  status: number;
  locale: Locale;
  headers: HeadersLike | undefined;
  deviations: Deviation[];
  extras: Record<string, string | number | boolean | null> | undefined;
}

/** Records one repair. */
export function note(ctx: Context, kind: DeviationKind, message: string): void {
  ctx.deviations.push({ kind, message });
}
