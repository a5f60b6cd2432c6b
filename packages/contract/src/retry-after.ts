/** Formats and parses `Retry-After` (RFC 9110 §10.2.3). */

/** The longest wait {@link formatRetryAfter} writes: 2^31 - 1 seconds (about 68 years). */
export const MAX_RETRY_AFTER_SECONDS = 2_147_483_647;

/**
 * Formats a wait as a `Retry-After` value in whole seconds, rounded up, never 0 and at most
 * {@link MAX_RETRY_AFTER_SECONDS}:
 * the header is only sent while the caller must wait.
 *
 * @param wait seconds to wait, or the Date when the wait ends
 * @example formatRetryAfter(1.2) // '2'
 */
export function formatRetryAfter(wait: number | Date, now: number = Date.now()): string {
  const seconds = wait instanceof Date ? (wait.getTime() - now) / 1000 : wait;
  if (Number.isNaN(seconds)) return '1';
  // delay-seconds is plain digits: cap before String() would write an exponent.
  return String(Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(seconds))));
}

/**
 * Parses a `Retry-After` value into milliseconds from `now`: delay-seconds or an
 * HTTP-date (a past date means 0). Returns undefined for anything else.
 *
 * @example parseRetryAfter('57') // 57000
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (text.length > 64 || !/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
