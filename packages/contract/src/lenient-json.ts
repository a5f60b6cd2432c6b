/** Parses JSON that documentation and proxies mangle, repairing only what can be repaired soundly. */

/** A value recovered from text that was not valid JSON. */
export interface RepairedJson {
  /** The parsed value. */
  value: unknown;
  /** What was repaired, as short phrases (`a trailing comma`, `a missing closing brace`). */
  repairs: string[];
}

// A list marker pasted in front of a body (`1. {…}`), as some documentation shows.
const LIST_MARKER = /^\s*(?:\d{1,4}[.)]|[-*\u2022])\s*(?=[[{])/;

function isOddSpace(code: number): boolean {
  // Unicode spaces JSON does not accept between tokens (JSON allows only SP, HT, LF, CR).
  return (
    code === 0xa0 ||
    code === 0xfeff ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200b) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

const CONTROL_ESCAPES: Readonly<Record<number, string>> = {
  8: '\\b',
  9: '\\t',
  10: '\\n',
  12: '\\f',
  13: '\\r',
};

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

interface Open {
  close: '}' | ']';
  /** Index in the output of the bracket. */
  at: number;
  /** Index in the output of the last comma directly inside this bracket, or -1. */
  comma: number;
}

/**
 * Parses `text` as JSON, repairing what is unambiguous: a leading list marker,
 * non-breaking or other Unicode spaces between tokens, raw control characters inside
 * strings, trailing commas, and a body cut short (only complete members are kept).
 * Returns undefined when the text still is not JSON (placeholders like `<string>`,
 * mismatched brackets …). Linear in the length of `text`.
 */
export function parseLenientJson(text: string): RepairedJson | undefined {
  const repairs = new Set<string>();
  let start = 0;
  const marker = LIST_MARKER.exec(text);
  if (marker) {
    start = marker[0].length;
    repairs.add('a leading list marker');
  }
  // Only objects and arrays are repaired: a bare string or number has nothing to close.
  const first = text.slice(start, start + 64).trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  const out: string[] = [];
  const stack: Open[] = [];
  let inString = false;
  let escaped = false;
  let lastSig = -1; // index in `out` of the last character that is not a space
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    const code = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (code === 0x5c) escaped = true;
      else if (code === 0x22) {
        inString = false;
        lastSig = out.length;
      } else if (code < 0x20) {
        out.push(CONTROL_ESCAPES[code] ?? `\\u${code.toString(16).padStart(4, '0')}`);
        repairs.add('control characters inside a string');
        continue;
      }
      out.push(ch);
      continue;
    }
    if (code === 0x22) {
      inString = true;
      out.push(ch);
      continue;
    }
    if (isJsonSpace(code)) {
      out.push(ch);
      continue;
    }
    if (isOddSpace(code)) {
      out.push(' ');
      repairs.add('non-breaking or other Unicode spaces between tokens');
      continue;
    }
    if (ch === '{' || ch === '[') {
      stack.push({ close: ch === '{' ? '}' : ']', at: out.length, comma: -1 });
    } else if (ch === '}' || ch === ']') {
      const open = stack.pop();
      if (!open || open.close !== ch) return undefined;
      if (lastSig >= 0 && out[lastSig] === ',') {
        out[lastSig] = '';
        repairs.add('a trailing comma');
      }
    } else if (ch === ',') {
      const open = stack[stack.length - 1];
      if (open) open.comma = out.length;
    }
    lastSig = out.length;
    out.push(ch);
    if (stack.length === 0 && lastSig >= 0 && (ch === '}' || ch === ']')) {
      // The value is complete: anything after it must be blank.
      if (text.slice(i + 1).trim() !== '') return undefined;
      break;
    }
  }
  if (stack.length === 0 && !inString) {
    const parsed = tryParse(out.join(''));
    return parsed.ok ? { value: parsed.value, repairs: [...repairs] } : undefined;
  }
  return closeTruncated(out, stack, inString, lastSig, repairs);
}

function closers(stack: readonly Open[], depth: number): string {
  let tail = '';
  for (let d = depth - 1; d >= 0; d--) tail += stack[d]!.close;
  return tail;
}

// The body was cut short: close what is open, dropping a member that was cut mid-way.
function closeTruncated(
  out: string[],
  stack: Open[],
  inString: boolean,
  lastSig: number,
  repairs: Set<string>,
): RepairedJson | undefined {
  repairs.add('a body cut short (only its complete members were kept)');
  if (!inString) {
    const kept = out.slice(0, lastSig + 1);
    if (kept[lastSig] === ',') kept[lastSig] = '';
    const whole = tryParse(kept.join('') + closers(stack, stack.length));
    if (whole.ok) return { value: whole.value, repairs: [...repairs] };
  }
  // Cut back to the last comma of the innermost open bracket, or to the bracket itself.
  const inner = stack[stack.length - 1];
  if (!inner) return undefined;
  const cut = inner.comma >= 0 ? inner.comma : inner.at + 1;
  const parsed = tryParse(out.slice(0, cut).join('') + closers(stack, stack.length));
  return parsed.ok ? { value: parsed.value, repairs: [...repairs] } : undefined;
}
