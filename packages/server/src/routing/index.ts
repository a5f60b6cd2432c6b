/** 404/405/501 from a real registration table: route matching, `Allow` computation, HEAD implied by GET. */

import { formatAllow } from '@apifault/contract';

/** The methods HTTP defines (RFC 9110 §9 and PATCH); any other is answered 501. */
export const STANDARD_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'CONNECT',
]);

/** Whether `method` is one HTTP defines; apifault answers the others 501. */
export function isStandardMethod(method: string): boolean {
  return STANDARD_METHODS.has(method);
}

type Segment =
  | { kind: 'static'; text: string }
  | { kind: 'param'; name: string; optional: boolean }
  | { kind: 'wildcard' };

interface Handler<T> {
  value: T;
  names: (string | undefined)[];
}

interface Entry<T> {
  segments: Segment[];
  methods: Map<string, Handler<T>>;
}

/** The outcome of {@link RouteTable.match}. */
export type RouteMatch<T> =
  | { kind: 'found'; value: T; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string }
  | { kind: 'not-found' };

const NOT_FOUND = Object.freeze({ kind: 'not-found' as const });
const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

function parseSegment(text: string): Segment {
  if (text === '*') return { kind: 'wildcard' };
  if (text.startsWith(':')) {
    // `:id`, `:id?`, `:id{[0-9]+}` (Hono) and `:id(^\\d+)` (Fastify) all capture one segment.
    const match = /^:([A-Za-z0-9_$]+)/.exec(text);
    return { kind: 'param', name: match?.[1] ?? 'param', optional: text.endsWith('?') };
  }
  return { kind: 'static', text };
}

function split(path: string): string[] {
  return path.split('/').slice(1);
}

function decode(text: string): string {
  if (text.indexOf('%') === -1) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A table of routes (method + path pattern with `:params`, `*`). It answers a request with
 * the handler, or with the methods the path does support (405), or not found (404).
 *
 * @example
 * const table = new RouteTable<string>();
 * table.add('GET', '/v1/customers/:id', 'get-customer');
 * table.match('DELETE', '/v1/customers/42'); // { kind: 'method-not-allowed', allow: 'GET, HEAD' }
 */
export class RouteTable<T> {
  readonly #static = new Map<string, Entry<T>>();
  readonly #dynamic: Entry<T>[] = [];
  readonly #byPattern = new Map<string, Entry<T>>();

  /** Registers `value` for `method` (upper-cased; `*` for any) on `pattern`. */
  add(method: string, pattern: string, value: T): void {
    const path = pattern.startsWith('/') ? pattern : `/${pattern}`;
    const segments = split(path).map(parseSegment);
    const key = segments
      .map((s) => (s.kind === 'static' ? `s${s.text}` : s.kind === 'param' ? ':' : '*'))
      .join('/');
    let entry = this.#byPattern.get(key);
    if (!entry) {
      entry = { segments, methods: new Map() };
      this.#byPattern.set(key, entry);
      if (segments.every((s) => s.kind === 'static')) this.#static.set(path, entry);
      else this.#dynamic.push(entry);
    }
    const names = segments.map((s) =>
      s.kind === 'param' ? s.name : s.kind === 'wildcard' ? '*' : undefined,
    );
    entry.methods.set(method.toUpperCase(), { value, names });
  }

  /** How many distinct path patterns are registered. */
  get size(): number {
    return this.#byPattern.size;
  }

  /**
   * Finds the handler of `method` on `path` (no query string). HEAD falls back to GET.
   * When the path exists with other methods only, the answer carries their `Allow`.
   */
  match(method: string, path: string): RouteMatch<T> {
    const staticEntry = this.#static.get(path);
    if (staticEntry) {
      const found = pick(staticEntry, method);
      if (found) return { kind: 'found', value: found.value, params: NO_PARAMS };
    }
    let allowed: string[] | undefined = staticEntry ? [...staticEntry.methods.keys()] : undefined;
    // Only patterns with parameters need the path cut into segments; element 0 is what
    // precedes the leading slash.
    if (this.#dynamic.length > 0) {
      const parts = path.split('/');
      for (const entry of this.#dynamic) {
        const values = matchSegments(entry.segments, parts);
        if (!values) continue;
        const found = pick(entry, method);
        if (found)
          return { kind: 'found', value: found.value, params: toParams(found.names, values) };
        allowed ??= [];
        for (const m of entry.methods.keys()) allowed.push(m);
      }
    }
    if (allowed === undefined || allowed.length === 0) return NOT_FOUND;
    if (allowed.includes('*')) return NOT_FOUND;
    return { kind: 'method-not-allowed', allow: formatAllow(allowed) };
  }

  /** The methods registered for `path` (with HEAD implied by GET), empty if none. */
  allowedMethods(path: string): string[] {
    const result = this.match('\u0000', path);
    return result.kind === 'method-not-allowed' ? result.allow.split(', ') : [];
  }
}

function pick<T>(entry: Entry<T>, method: string): Handler<T> | undefined {
  return (
    entry.methods.get(method) ??
    (method === 'HEAD' ? entry.methods.get('GET') : undefined) ??
    entry.methods.get('*')
  );
}

/** Matches `parts` (a path split on `/`, its element 0 skipped) against `segments`. */
function matchSegments(segments: Segment[], parts: string[]): string[] | undefined {
  const values: string[] = [];
  let i = 1;
  for (let s = 0; s < segments.length; s++) {
    const segment = segments[s]!;
    if (segment.kind === 'wildcard') {
      values.push(parts.slice(i).join('/'));
      return values;
    }
    const part = parts[i];
    if (part === undefined) {
      if (segment.kind === 'param' && segment.optional) {
        values.push('');
        continue;
      }
      return undefined;
    }
    if (segment.kind === 'static') {
      if (part !== segment.text) return undefined;
      values.push('');
    } else {
      if (part === '') return undefined;
      values.push(decode(part));
    }
    i++;
  }
  return i === parts.length ? values : undefined;
}

function toParams(names: (string | undefined)[], values: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (name !== undefined) params[name] = values[i] ?? '';
  }
  return params;
}
