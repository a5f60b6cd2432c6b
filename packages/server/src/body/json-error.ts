/** Finds where a JSON text breaks (line, column), without recursion, so 400 descriptions are the same on every runtime. */

/** Where a JSON text stops being valid. */
export interface JsonErrorLocation {
  /** Code-unit offset of the offending character (the text's length at an unexpected end). */
  position: number;
  /** 1-based line. */
  line: number;
  /** 1-based column, in code units. */
  column: number;
  /** What was found there, for a sentence: `end of input` or `"}"`. */
  found: string;
}

enum Expect {
  Value,
  ValueOrEndArray,
  KeyOrEndObject,
  Key,
  Colon,
  CommaOrEnd,
  Nothing,
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/**
 * Returns where `text` stops being JSON, or `undefined` when it is valid. Runs in one pass
 * with an explicit stack: any nesting depth is safe.
 */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  const stack: number[] = []; // 0 = array, 1 = object
  let expect = Expect.Value;
  let i = 0;
  const n = text.length;
  for (;;) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) return expect === Expect.Nothing ? undefined : at(text, n);
    const ch = text[i]!;
    switch (expect) {
      case Expect.Nothing:
        return at(text, i);
      case Expect.Colon:
        if (ch !== ':') return at(text, i);
        i++;
        expect = Expect.Value;
        continue;
      case Expect.CommaOrEnd: {
        const top = stack[stack.length - 1];
        if (ch === ',') {
          i++;
          expect = top === 1 ? Expect.Key : Expect.Value;
        } else if ((ch === ']' && top === 0) || (ch === '}' && top === 1)) {
          i++;
          stack.pop();
          expect = stack.length === 0 ? Expect.Nothing : Expect.CommaOrEnd;
        } else {
          return at(text, i);
        }
        continue;
      }
      case Expect.KeyOrEndObject:
      case Expect.Key: {
        if (ch === '}' && expect === Expect.KeyOrEndObject) {
          i++;
          stack.pop();
          expect = stack.length === 0 ? Expect.Nothing : Expect.CommaOrEnd;
          continue;
        }
        if (ch !== '"') return at(text, i);
        const end = scan(STRING, text, i);
        if (end === undefined) return at(text, stringError(text, i));
        i = end;
        expect = Expect.Colon;
        continue;
      }
      case Expect.Value:
      case Expect.ValueOrEndArray: {
        if (ch === ']' && expect === Expect.ValueOrEndArray) {
          i++;
          stack.pop();
          expect = stack.length === 0 ? Expect.Nothing : Expect.CommaOrEnd;
          continue;
        }
        if (ch === '[') {
          stack.push(0);
          i++;
          expect = Expect.ValueOrEndArray;
          continue;
        }
        if (ch === '{') {
          stack.push(1);
          i++;
          expect = Expect.KeyOrEndObject;
          continue;
        }
        let end: number | undefined;
        if (ch === '"') {
          end = scan(STRING, text, i);
          if (end === undefined) return at(text, stringError(text, i));
        } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
          end = scan(NUMBER, text, i);
          if (end === undefined) return at(text, i + 1);
        } else {
          for (const word of ['true', 'false', 'null']) {
            if (text.startsWith(word, i)) end = i + word.length;
          }
          if (end === undefined) return at(text, literalError(text, i));
        }
        i = end;
        expect = stack.length === 0 ? Expect.Nothing : Expect.CommaOrEnd;
      }
    }
  }
}

function scan(pattern: RegExp, text: string, from: number): number | undefined {
  pattern.lastIndex = from;
  return pattern.test(text) ? pattern.lastIndex : undefined;
}

/** The first offending offset inside a string starting at `from`. */
function stringError(text: string, from: number): number {
  let i = from + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return i;
    if (code === 0x5c) {
      const next = text[i + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return i;
        i += 6;
        continue;
      }
      if (next === undefined || !'"\\/bfnrt'.includes(next)) return i;
      i += 2;
      continue;
    }
    i++;
  }
  return text.length;
}

/** The first offset where `text` from `from` stops matching true/false/null. */
function literalError(text: string, from: number): number {
  for (const word of ['true', 'false', 'null']) {
    if (text[from] !== word[0]) continue;
    let k = 0;
    while (k < word.length && text[from + k] === word[k]) k++;
    return from + k;
  }
  return from;
}

function at(text: string, position: number): JsonErrorLocation {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < position; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  const found =
    position >= text.length
      ? 'end of input'
      : JSON.stringify(String.fromCodePoint(text.codePointAt(position) ?? 0xfffd));
  return { position, line, column: position - lineStart + 1, found };
}
