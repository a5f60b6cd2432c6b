/** Decodes HTML character references (`&#39;`, `&#x27;`, `&amp;`, `&eacute;` …) in text. */

// HTML 4's Latin-1 names, in code point order from U+00A0 to U+00FF.
const LATIN1_NAMES =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn ' +
  'sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave ' +
  'Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ' +
  'ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN ' +
  'szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute ' +
  'icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml ' +
  'yacute thorn yuml';

const NAMED = new Map<string, string>([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['OElig', '\u0152'],
  ['oelig', '\u0153'],
  ['Scaron', '\u0160'],
  ['scaron', '\u0161'],
  ['Yuml', '\u0178'],
  ['circ', '\u02C6'],
  ['tilde', '\u02DC'],
  ['ensp', '\u2002'],
  ['emsp', '\u2003'],
  ['thinsp', '\u2009'],
  ['zwnj', '\u200C'],
  ['zwj', '\u200D'],
  ['ndash', '\u2013'],
  ['mdash', '\u2014'],
  ['lsquo', '\u2018'],
  ['rsquo', '\u2019'],
  ['sbquo', '\u201A'],
  ['ldquo', '\u201C'],
  ['rdquo', '\u201D'],
  ['bdquo', '\u201E'],
  ['dagger', '\u2020'],
  ['Dagger', '\u2021'],
  ['bull', '\u2022'],
  ['hellip', '\u2026'],
  ['permil', '\u2030'],
  ['lsaquo', '\u2039'],
  ['rsaquo', '\u203A'],
  ['euro', '\u20AC'],
  ['trade', '\u2122'],
  ['larr', '\u2190'],
  ['rarr', '\u2192'],
]);
LATIN1_NAMES.split(' ').forEach((name, index) => {
  NAMED.set(name, String.fromCharCode(0xa0 + index));
});

// Browsers read references to U+0080–U+009F as windows-1252 (WHATWG HTML, numeric
// character reference end state); documents written on Windows rely on it (`&#146;`).
const WINDOWS_1252: Readonly<Record<number, number>> = {
  128: 0x20ac,
  130: 0x201a,
  131: 0x0192,
  132: 0x201e,
  133: 0x2026,
  134: 0x2020,
  135: 0x2021,
  136: 0x02c6,
  137: 0x2030,
  138: 0x0160,
  139: 0x2039,
  140: 0x0152,
  142: 0x017d,
  145: 0x2018,
  146: 0x2019,
  147: 0x201c,
  148: 0x201d,
  149: 0x2022,
  150: 0x2013,
  151: 0x2014,
  152: 0x02dc,
  153: 0x2122,
  154: 0x0161,
  155: 0x203a,
  156: 0x0153,
  158: 0x017e,
  159: 0x0178,
};

// Bounded digit counts keep a hostile `&#999999999999…;` from being parsed as a number.
const REFERENCE = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,15}));/g;

function fromCodePoint(code: number): string {
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(WINDOWS_1252[code] ?? code);
}

/**
 * Decodes the character references in `text`, once (`&amp;#39;` becomes `&#39;`).
 * Numeric references to nothing (0, surrogates, beyond U+10FFFF) become U+FFFD; unknown
 * names and references without their `;` are left as written.
 *
 * @example decodeHtmlEntities('We&#39;re sorry') // "We're sorry"
 */
export function decodeHtmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, replaceReference);
}

function replaceReference(match: string, decimal?: string, hex?: string, name?: string): string {
  if (decimal !== undefined) return fromCodePoint(Number.parseInt(decimal, 10));
  if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
  return NAMED.get(name ?? '') ?? match;
}
