/** Makes any value a valid contract description: never empty, at most 1024 code points. */

import { DEFAULT_LOCALE, defaultDescription, type Locale } from './locales.js';

/** The most code points a description may hold. */
export const MAX_DESCRIPTION_LENGTH = 1024;

const ELLIPSIS = '…';

/** Counts the code points of `text` (a surrogate pair counts once). */
export function codePointLength(text: string): number {
  // Fast path: no surrogates means one code unit per code point.
  if (!/[\uD800-\uDFFF]/.test(text)) return text.length;
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Options of {@link toDescription}. */
export interface DescriptionOptions {
  /** The status whose default description replaces an empty one. @default 500 */
  status?: number | undefined;
  /** The locale of that default. @default 'en-US' */
  locale?: Locale | undefined;
  /** The most code points kept, between 1 and 1024 (0 and NaN read as 1024). @default 1024 */
  maxLength?: number | undefined;
}

/**
 * Turns `value` into a valid description. Blank or non-string input becomes the
 * localized default of `status`; longer text is cut at a code-point boundary and ends
 * with `…` inside the limit. Lone surrogates are replaced by U+FFFD so the result is
 * always well-formed.
 *
 * @example toDescription('', { status: 404 }) // 'The requested resource was not found.'
 */
export function toDescription(value: unknown, options: DescriptionOptions = {}): string {
  const requested = Math.floor(options.maxLength ?? Number.NaN) || MAX_DESCRIPTION_LENGTH;
  // A description never exceeds the contract's limit, whatever the option says.
  const max = requested >= 1 ? Math.min(requested, MAX_DESCRIPTION_LENGTH) : 1;
  let text = typeof value === 'string' ? value : '';
  if (text.trim() === '') {
    text = defaultDescription(options.status ?? 500, options.locale ?? DEFAULT_LOCALE);
  }
  // A code point is at most 2 code units: anything this short is within the limit.
  if (text.length <= max && !/[\uD800-\uDFFF]/.test(text)) return text;
  return truncate(text, max);
}

function truncate(text: string, max: number): string {
  const out: string[] = [];
  let count = 0;
  let cut = false;
  // Iterating a string yields code points; lone surrogates come out alone.
  for (const ch of text) {
    if (count === max) {
      cut = true;
      break;
    }
    const code = ch.charCodeAt(0);
    out.push(ch.length === 1 && code >= 0xd800 && code <= 0xdfff ? '\uFFFD' : ch);
    count++;
  }
  if (!cut) return out.join('');
  out.length = max - 1;
  return out.join('') + ELLIPSIS;
}
