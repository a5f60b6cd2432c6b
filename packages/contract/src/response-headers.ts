/** Reads one header from any common headers shape, without ever throwing. */

/** Response headers in any common form: a fetch `Headers`, or a plain object with any casing. */
export type HeadersLike =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The value of header `name` in `headers` (case-insensitive), or undefined. A list of
 * values is joined with `, ` as HTTP does; anything that is not a string is ignored.
 */
export function getHeader(
  headers: HeadersLike | null | undefined,
  name: string,
): string | undefined {
  try {
    if (headers === null || headers === undefined || typeof headers !== 'object') return undefined;
    if (typeof (headers as { get?: unknown }).get === 'function') {
      const value = (headers as { get(name: string): unknown }).get(name);
      return typeof value === 'string' ? value : undefined;
    }
    const record = headers as Readonly<Record<string, unknown>>;
    const lower = name.toLowerCase();
    let value: unknown = Object.hasOwn(record, lower) ? record[lower] : undefined;
    if (value === undefined) {
      for (const key of Object.keys(record)) {
        if (key.toLowerCase() === lower) {
          value = record[key];
          break;
        }
      }
    }
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) {
      const strings = value.filter((v): v is string => typeof v === 'string');
      return strings.length > 0 ? strings.join(', ') : undefined;
    }
    return undefined;
  } catch {
    // A hostile getter or Proxy must not make the normalizer throw.
    return undefined;
  }
}
