/** Entity tags (RFC 9110 §8.8.3): formatting, parsing and the strong and weak comparisons. */

/** A parsed entity tag: its opaque value (without quotes) and whether it is weak. */
export interface EntityTag {
  /** The characters between the double quotes. */
  readonly opaque: string;
  /** Whether the tag was sent as `W/"…"`. */
  readonly weak: boolean;
}

/** What {@link parseEtagList} returns for a valid field: `'*'` or the listed tags. */
export type EtagList = '*' | EntityTag[];

/** Options of {@link formatEtag}. */
export interface FormatEtagOptions {
  /** Format a weak tag (`W/"…"`). @default false */
  weak?: boolean;
}

// etagc = %x21 / %x23-7E / obs-text: every visible character but the double quote.
const OPAQUE = /^[\x21\x23-\x7e\x80-\xff]*$/;
// An unquoted token accepted for compatibility: visible characters, no quote, no comma.
const BARE_TOKEN = /^[\x21\x23-\x2b\x2d-\x7e\x80-\xff]+$/;

function isOpaque(value: string): boolean {
  return OPAQUE.test(value);
}

function isQuoted(text: string): boolean {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"');
}

/**
 * Formats a value as an entity tag: `"value"`, or `W/"value"` when weak.
 *
 * @throws TypeError when `value` holds a double quote, a space or a control character,
 *   which an entity tag cannot carry
 * @example formatEtag('v42') // '"v42"'
 */
export function formatEtag(value: string, options: FormatEtagOptions = {}): string {
  if (!isOpaque(value)) {
    throw new TypeError('An entity tag cannot hold double quotes, spaces or control characters.');
  }
  return `${options.weak ? 'W/' : ''}"${value}"`;
}

/**
 * Formats `If-Match` the way Partner Center expects: a bare ETag is double-quoted (`abc` ->
 * `"abc"`, double quotes inside it dropped); `*`, weak tags (`W/"abc"`) and tags already
 * quoted are kept. Unlike {@link formatEtag} it never throws: it takes the tag a caller was
 * handed, such as Partner Center's unquoted `attributes.etag`, and leaves judging it to the
 * service.
 *
 * @example formatIfMatch('AAAAAAAAbcU=') // '"AAAAAAAAbcU="'
 */
export function formatIfMatch(etag: string): string {
  const tag = etag.trim();
  if (tag === '*' || tag.startsWith('W/"') || isQuoted(tag)) return tag;
  return `"${tag.replace(/"/g, '')}"`;
}

/**
 * Parses one entity tag. Besides `"v"` and `W/"v"`, a bare token such as `v42` is read as
 * the strong tag `"v42"`: Partner Center hands ETags unquoted in `attributes.etag`, and
 * some of its clients send them back in `If-Match` without the quotes. A bare token may
 * not hold a comma, a quote or whitespace, and may not start with `W/`.
 *
 * @returns the tag, or null when `value` is not an entity tag
 */
export function parseEtag(value: string): EntityTag | null {
  const text = value.trim();
  const weak = text.startsWith('W/');
  const quoted = weak ? text.slice(2) : text;
  if (isQuoted(quoted)) {
    const opaque = quoted.slice(1, -1);
    return isOpaque(opaque) ? { opaque, weak } : null;
  }
  if (weak || text === '*' || !BARE_TOKEN.test(text)) return null;
  return { opaque: text, weak: false };
}

/**
 * Parses an `If-Match` / `If-None-Match` value: `*`, or a comma-separated list of entity
 * tags (empty list elements are skipped, as RFC 9110 §5.6.1 asks of recipients). A single
 * unquoted token is accepted as a strong tag (see {@link parseEtag}); an unquoted token
 * inside a list is not.
 *
 * @returns `'*'`, the tags (possibly none), or null when the value is malformed
 * @example parseEtagList('"a", W/"b"') // [{ opaque: 'a', weak: false }, { opaque: 'b', weak: true }]
 */
export function parseEtagList(header: string): EtagList | null {
  const text = header.trim();
  if (text === '*') return '*';
  if (text !== '' && !text.includes('"')) {
    const bare = parseEtag(text);
    return bare ? [bare] : null;
  }
  const tags: EntityTag[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char === ',' || char === ' ' || char === '\t') {
      i++;
      continue;
    }
    let weak = false;
    if (text.startsWith('W/', i)) {
      weak = true;
      i += 2;
    }
    if (text[i] !== '"') return null;
    const end = text.indexOf('"', i + 1);
    if (end === -1) return null;
    const opaque = text.slice(i + 1, end);
    if (!isOpaque(opaque)) return null;
    tags.push({ opaque, weak });
    i = end + 1;
    // After a tag: optional whitespace, then a comma or the end.
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i < text.length && text[i] !== ',') return null;
  }
  return tags;
}

/** Strong comparison (RFC 9110 §8.8.3.2): both strong, same opaque value. */
export function strongMatch(a: EntityTag, b: EntityTag): boolean {
  return !a.weak && !b.weak && a.opaque === b.opaque;
}

/** Weak comparison (RFC 9110 §8.8.3.2): same opaque value, weakness ignored. */
export function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}
