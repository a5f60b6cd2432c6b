/** Turns a response body (text, bytes or nothing) into bounded text, noting what it had to fix. */

/** The most of a body the normalizer reads: 1 MiB (bytes, or UTF-16 code units for text). */
export const MAX_BODY_LENGTH = 1024 * 1024;

/** A body read as text. */
export interface BodyText {
  /** The text as received, cut at {@link MAX_BODY_LENGTH}. */
  raw: string;
  /** `raw` without its byte-order mark. */
  text: string;
  /** Whether the body was longer than {@link MAX_BODY_LENGTH}. */
  truncated: boolean;
  /** Whether a byte-order mark was removed. */
  bom: boolean;
  /** Whether the bytes were not valid UTF-8 (bad sequences became U+FFFD). */
  invalidUtf8: boolean;
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function decode(bytes: Uint8Array): { text: string; invalid: boolean } {
  try {
    return { text: strictDecoder.decode(bytes), invalid: false };
  } catch {
    return { text: lenientDecoder.decode(bytes), invalid: true };
  }
}

/**
 * Reads `body` as bounded text: a string as is, bytes (`Uint8Array`, `Buffer`,
 * `ArrayBuffer`) as UTF-8; a leading BOM is dropped. Anything else reads as empty.
 */
export function readBodyText(body: unknown): BodyText {
  let raw = '';
  let truncated = false;
  let invalidUtf8 = false;
  if (typeof body === 'string') {
    raw = body;
    if (raw.length > MAX_BODY_LENGTH) {
      truncated = true;
      // Never keep half of a surrogate pair at the cut.
      const end = MAX_BODY_LENGTH;
      const last = raw.charCodeAt(end - 1);
      raw = raw.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
    }
  } else if (body instanceof Uint8Array || body instanceof ArrayBuffer) {
    let bytes = body instanceof Uint8Array ? body : new Uint8Array(body);
    if (bytes.length > MAX_BODY_LENGTH) {
      truncated = true;
      // Back off to the start of a UTF-8 sequence so the cut does not make a U+FFFD.
      let end = MAX_BODY_LENGTH;
      for (let back = 0; back < 3 && ((bytes[end] ?? 0) & 0xc0) === 0x80; back++) end--;
      bytes = bytes.subarray(0, end);
    }
    const decoded = decode(bytes);
    raw = decoded.text;
    invalidUtf8 = decoded.invalid;
  }
  const bom = raw.charCodeAt(0) === 0xfeff;
  return { raw, text: bom ? raw.slice(1) : raw, truncated, bom, invalidUtf8 };
}
