/** Parses the three HTTP-date formats (RFC 9110 §5.6.7) strictly, as UTC. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Sun, 06 Nov 1994 08:49:37 GMT
const IMF_FIXDATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
// Sunday, 06-Nov-94 08:49:37 GMT
const RFC850_DATE =
  /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
// Sun Nov  6 08:49:37 1994
const ASCTIME_DATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

function utc(
  year: number,
  month: string,
  day: string,
  hour: string,
  minute: string,
  second: string,
): number | undefined {
  const monthIndex = MONTHS.indexOf(month);
  const d = Number(day);
  const h = Number(hour);
  const m = Number(minute);
  const s = Number(second);
  if (monthIndex === -1 || d < 1 || d > 31 || h > 23 || m > 59 || s > 60) return undefined;
  const time = Date.UTC(year, monthIndex, d, h, m, Math.min(s, 59));
  // Reject dates that roll over (31 Feb becomes 3 Mar in Date.UTC).
  return new Date(time).getUTCDate() === d ? time : undefined;
}

/**
 * Parses an HTTP-date (IMF-fixdate, or the obsolete RFC 850 and asctime forms) into epoch
 * milliseconds. A two-digit RFC 850 year more than 50 years ahead is read in the past
 * century, as RFC 9110 asks.
 *
 * @returns the time, or undefined when `value` is not an HTTP-date
 */
export function parseHttpDate(value: string, now: number = Date.now()): number | undefined {
  const text = value.trim();
  let match = IMF_FIXDATE.exec(text);
  if (match) {
    const [, day, month, year, hour, minute, second] = match as unknown as string[];
    return utc(Number(year), month!, day!, hour!, minute!, second!);
  }
  match = RFC850_DATE.exec(text);
  if (match) {
    const [, day, month, yy, hour, minute, second] = match as unknown as string[];
    const currentYear = new Date(now).getUTCFullYear();
    let year = Math.floor(currentYear / 100) * 100 + Number(yy);
    if (year > currentYear + 50) year -= 100;
    return utc(year, month!, day!, hour!, minute!, second!);
  }
  match = ASCTIME_DATE.exec(text);
  if (match) {
    const [, month, day, hour, minute, second, year] = match as unknown as string[];
    return utc(Number(year), month!, day!.trim(), hour!, minute!, second!);
  }
  return undefined;
}
