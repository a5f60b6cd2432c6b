/** Finds a readable sentence in an HTML or plain-text body (a gateway's error page). */

import { decodeHtmlEntities } from './html-entities.js';

/** The longest text taken from a non-JSON body as a description, in code points. */
export const MAX_TEXT_DESCRIPTION = 512;

// Only the head of a page is searched: titles and headings come first.
const HEAD_LENGTH = 64 * 1024;

/** Whether `text` (with its content type) is an HTML document rather than plain text. */
export function looksLikeHtml(text: string, contentType: string | undefined): boolean {
  if (contentType && /html/i.test(contentType)) return true;
  const head = text.slice(0, 1024).trimStart().toLowerCase();
  return (
    head.startsWith('<!doctype') ||
    head.startsWith('<html') ||
    head.startsWith('<head') ||
    head.startsWith('<body') ||
    head.startsWith('<title') ||
    head.startsWith('<h1') ||
    head.startsWith('<?xml')
  );
}

// Lower-cases ASCII only, so indexes in the result match indexes in the input.
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Whether `text` reads as a sentence: short, has a letter, and no control or replacement characters. */
function readable(text: string): boolean {
  if (text === '' || [...text.slice(0, MAX_TEXT_DESCRIPTION * 2 + 2)].length > MAX_TEXT_DESCRIPTION)
    return false;
  return /\p{L}/u.test(text) && !/[\u0000-\u001f\u007f-\u009f\uFFFD]/.test(text);
}

// The text between `<tag …>` and `</tag`, found with indexOf so hostile markup stays linear.
function element(html: string, lower: string, tag: string): string | undefined {
  const open = lower.indexOf(`<${tag}`);
  if (open < 0) return undefined;
  const after = lower.charCodeAt(open + tag.length + 1);
  // `<title>` or `<title lang=…>`, not `<titles>`.
  if (after !== 0x3e && after !== 0x20 && after !== 0x09 && after !== 0x0a && after !== 0x0d) {
    return undefined;
  }
  const start = lower.indexOf('>', open);
  if (start < 0) return undefined;
  const end = lower.indexOf(`</${tag}`, start);
  if (end < 0) return undefined;
  return html.slice(start + 1, end);
}

// Removes `<script>` and `<style>` blocks, whose text is never prose. Linear.
function removeBlocks(html: string): string {
  const lower = asciiLower(html);
  let out = '';
  let i = 0;
  for (;;) {
    const script = lower.indexOf('<script', i);
    const style = lower.indexOf('<style', i);
    const open = script < 0 ? style : style < 0 ? script : Math.min(script, style);
    if (open < 0) return out + html.slice(i);
    out += html.slice(i, open);
    const tag = open === script ? '</script' : '</style';
    const close = lower.indexOf(tag, open);
    if (close < 0) return out;
    const gt = lower.indexOf('>', close);
    if (gt < 0) return out;
    i = gt + 1;
  }
}

// Replaces each tag with a space. Linear: an unclosed `<` ends the text.
function stripTags(html: string): string {
  let out = '';
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) return out + html.slice(i);
    out += `${html.slice(i, lt)} `;
    const gt = html.indexOf('>', lt);
    if (gt < 0) break;
    i = gt + 1;
  }
  return out;
}

/**
 * A description taken from an HTML or plain-text body: the page's `<title>` (else its
 * first `<h1>`, else its text), or the text itself, entities decoded and spaces
 * collapsed. Undefined when nothing short and readable is found.
 *
 * @example describeText('<html><title>502 Bad Gateway</title></html>', true) // '502 Bad Gateway'
 */
export function describeText(text: string, html: boolean): string | undefined {
  const head = text.slice(0, HEAD_LENGTH);
  if (!html) {
    const plain = collapse(head);
    return text.length <= HEAD_LENGTH && readable(plain) ? plain : undefined;
  }
  const page = removeBlocks(head);
  const lower = asciiLower(page);
  for (const tag of ['title', 'h1']) {
    const inner = element(page, lower, tag);
    if (inner === undefined) continue;
    const candidate = collapse(decodeHtmlEntities(stripTags(inner)));
    if (readable(candidate)) return candidate;
  }
  const body = collapse(decodeHtmlEntities(stripTags(page)));
  return readable(body) ? body : undefined;
}
