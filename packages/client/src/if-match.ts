/** Formats `If-Match` the way Partner Center expects: a double-quoted entity tag. */

/**
 * Quotes a bare ETag (`abc` -> `"abc"`); keeps `*`, weak tags (`W/"abc"`) and tags
 * already quoted.
 *
 * @example formatIfMatch('AAAAAAAAbcU=') // '"AAAAAAAAbcU="'
 */
export function formatIfMatch(etag: string): string {
  const tag = etag.trim();
  if (
    tag === '*' ||
    tag.startsWith('W/"') ||
    (tag.length >= 2 && tag.startsWith('"') && tag.endsWith('"'))
  ) {
    return tag;
  }
  return `"${tag.replace(/"/g, '')}"`;
}
