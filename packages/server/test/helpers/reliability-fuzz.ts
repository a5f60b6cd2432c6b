/**
 * fast-check arbitraries of hostile raw HTTP/1.1 requests (odd methods, odd path bytes and
 * percent-encodings, CR/LF header-injection attempts, huge values, random and deeply nested
 * bodies, wrong content types, odd framing) and the check every response must pass.
 */

import { validateErrorBody } from '@apifault/contract';
import fc from 'fast-check';
import { EXPECTED_RESPONSE_HEADERS, type RawExchange } from './reliability-raw.js';

/** The marker every injection attempt carries: it must never surface in a response header. */
export const INJECTED = 'inj3cted';

/** One generated request, kept readable for fast-check's counterexample report. */
export interface FuzzRequest {
  method: string;
  /** The request target, as latin1 text (code points 0–255 stand for raw bytes). */
  target: string;
  headers: [string, string][];
  body: Buffer | undefined;
  framing: 'length' | 'chunked' | 'short-length' | 'long-length' | 'both';
}

const METHODS = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'PURGE',
  'BREW',
  'get',
  'M-SEARCH',
  'G\u00c9T',
  'GE T',
  '',
];

const SEGMENTS = [
  '..',
  '.',
  '',
  '%2e%2e',
  '%2F',
  '%2f..%2f',
  '%00',
  '%0d%0aX-Injected:%20' + INJECTED,
  '%ZZ',
  '%',
  '%E2%82',
  '%C3%A9',
  '%F0%9F%98%80',
  '%ff%fe',
  '\u00c3\u00a9', // the UTF-8 bytes of "é", raw
  '\u00ff\u00fe',
  'a;b=c',
  '*',
  '~user',
  'c-1',
  '00000000-0000-4000-8000-000000000000',
  'x'.repeat(300),
  '\t',
  '\u0000',
  '\u007f',
  'a b',
];

const segment = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...SEGMENTS) },
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@%-]{0,12}$/) },
);

const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom('?', '?a=1&a=2', '?size=-1', '?size=99999999999', '?q=%00%ff', '?%', '?&&=&'),
  fc.stringMatching(/^\?[A-Za-z0-9=&%+.-]{0,20}$/),
);

/** Request targets built on the given route prefixes, plus a few odd forms. */
export function targetArbitrary(prefixes: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    // A registered route as is, so the application (not only the parser) sees most requests.
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...prefixes), query).map(([p, q]) => p + q) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...prefixes),
          fc.array(segment, { minLength: 1, maxLength: 3 }),
          query,
        )
        .map(([prefix, rest, q]) => [prefix, ...rest].join('/') + q),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '*',
        'http://127.0.0.1/v1/customers',
        '//v1//customers',
        '/',
        `/${'a/'.repeat(500)}`,
        'v1/customers',
      ),
    },
  );
}

const injection = fc.constantFrom(
  `abc\r\nSet-Cookie: ${INJECTED}=1`,
  `abc\r\nX-Injected: ${INJECTED}`,
  `abc\nX-Injected: ${INJECTED}`,
  `abc\rX-Injected: ${INJECTED}`,
  `%0d%0aX-Injected:%20${INJECTED}`,
  `${INJECTED}\u0000x`,
  `\u00ff${INJECTED}`,
  `<script>${INJECTED}</script>`,
  `${INJECTED} with spaces`,
);

// Mostly printable (the request reaches the application), sometimes any byte (the parser refuses it).
const junk = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) },
);

const headerPair: fc.Arbitrary<[string, string]> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(
      fc.constantFrom('ms-requestid', 'ms-correlationid', 'ms-cv'),
      fc.oneof(injection, junk),
    ),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(
      fc.constantFrom('x-locale', 'accept-language'),
      fc.oneof(fc.constantFrom('fr-FR', 'en-US', 'zz-ZZ', 'fr;q=0.5, *;q=0', '*'), junk, injection),
    ),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(
      fc.constant('accept'),
      fc.oneof(
        fc.constantFrom(
          'application/json',
          'application/xml',
          '*/*',
          'text/html;q=0.9, application/json;q=0',
          'application/*;q=0.1',
          '',
        ),
        junk,
      ),
    ),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(
      fc.constant('content-type'),
      fc.oneof(
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json; charset=latin1',
          'application/vnd.api+json',
          'application/json\u0000',
          '',
        ),
        junk,
        injection,
      ),
    ),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(
      fc.constant('authorization'),
      fc.oneof(
        fc.constantFrom('Bearer x', 'Bearer', 'Basic Zm9vOmJhcg==', 'bearer  a.b.c', 'Bearer a.b.'),
        fc.constant(`Bearer ${'a'.repeat(6000)}`),
        injection,
        junk,
      ),
    ),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(
      fc.constantFrom('if-match', 'if-none-match', 'if-unmodified-since', 'x-apifault-whatever'),
      fc.oneof(junk, injection),
    ),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/),
      fc.oneof(junk, injection),
    ),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(
      fc.constant('x-huge'),
      fc.constantFrom(100, 9000, 20_000).map((n) => 'h'.repeat(n)),
    ),
  },
  // Names that are not tokens, and a folded (obs-fold) continuation line.
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('bad name', 'bad:name', '\u00e9t\u00e9', ''), junk),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constant('x-folded'), fc.constant(`a\r\n  ${INJECTED}`)) },
);

function deep(depth: number, open: string, close: string): string {
  return open.repeat(depth) + close.repeat(depth);
}

const body: fc.Arbitrary<Buffer | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  {
    weight: 3,
    arbitrary: fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
  },
  {
    weight: 3,
    arbitrary: fc.json({ depthSize: 'medium' }).map((text) => Buffer.from(text)),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[]', '{}', 'a'))
      .map(([depth, kind]) =>
        Buffer.from(
          kind === '[]'
            ? deep(depth, '[', ']')
            : kind === '{}'
              ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
              : deep(depth, '[', ''),
        ),
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '{"name":"x"',
        '\ufeff{"name":"x"}',
        '{"name":"\ud800"}',
        'null',
        '"\u0000"',
        '1e999999',
        '{"__proto__":{"polluted":true}}',
        '{"constructor":{"prototype":{"polluted":true}}}',
      )
      .map((text) => Buffer.from(text)),
  },
);

const framing = fc.oneof(
  { weight: 12, arbitrary: fc.constant('length' as const) },
  { weight: 4, arbitrary: fc.constant('chunked' as const) },
  { weight: 1, arbitrary: fc.constant('short-length' as const) },
  { weight: 1, arbitrary: fc.constant('long-length' as const) },
  { weight: 1, arbitrary: fc.constant('both' as const) },
);

const jsonType = fc.oneof(
  { weight: 4, arbitrary: fc.constant<[string, string]>(['content-type', 'application/json']) },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.constant('content-type'),
      fc.constantFrom(
        'application/merge-patch+json',
        'text/json',
        'application/json; charset=utf-16',
      ),
    ),
  },
);

/**
 * Hostile requests against the routes under `prefixes`; a third of them are writes to one of
 * `bodyRoutes` (`METHOD /path`) with a JSON content type, so body reading is fuzzed too.
 */
export function requestArbitrary(
  prefixes: readonly string[],
  bodyRoutes: readonly string[] = [],
): fc.Arbitrary<FuzzRequest> {
  const any = fc.record({
    method: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...METHODS.slice(0, 7)) },
      { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
    ),
    target: targetArbitrary(prefixes),
    headers: fc.array(headerPair, { maxLength: 4 }),
    body,
    framing,
  });
  if (bodyRoutes.length === 0) return any.map(readable);
  const write = fc
    .record({
      route: fc.constantFrom(...bodyRoutes),
      type: jsonType,
      headers: fc.array(headerPair, { maxLength: 2 }),
      body,
      framing,
    })
    .map(({ route, type, headers, body: payload, framing: frame }): FuzzRequest => {
      const [method = 'POST', target = '/'] = route.split(' ');
      return { method, target, headers: [type, ...headers], body: payload, framing: frame };
    });
  return fc.oneof({ weight: 2, arbitrary: any }, { weight: 1, arbitrary: write }).map(readable);
}

/** Gives a request a short printed form, so a counterexample stays readable (bodies are big). */
export function readable(request: FuzzRequest): FuzzRequest {
  return Object.assign(request, {
    [fc.toStringMethod]: () => {
      const head = encodeRequest({ ...request, body: undefined }).toString('latin1');
      const body = request.body;
      const shown =
        body === undefined
          ? 'no body'
          : `${body.length} bytes (${request.framing}): ${JSON.stringify(body.subarray(0, 60).toString('latin1'))}`;
      return `${JSON.stringify(head.slice(0, 600))} + ${shown}`;
    },
  });
}

/** The bytes of `request` on the wire (Host first, `Connection: close` last). */
export function encodeRequest(request: FuzzRequest): Buffer {
  let head = `${request.method} ${request.target} HTTP/1.1\r\nHost: 127.0.0.1\r\n`;
  for (const [name, value] of request.headers) head += `${name}: ${value}\r\n`;
  const payload = request.body;
  const parts: Buffer[] = [];
  if (payload !== undefined) {
    switch (request.framing) {
      case 'length':
        head += `Content-Length: ${payload.length}\r\n`;
        parts.push(payload);
        break;
      case 'short-length':
        head += `Content-Length: ${Math.floor(payload.length / 2)}\r\n`;
        parts.push(payload);
        break;
      case 'long-length':
        head += `Content-Length: ${payload.length + 10}\r\n`;
        parts.push(payload);
        break;
      case 'chunked':
      case 'both':
        if (request.framing === 'both') head += `Content-Length: ${payload.length}\r\n`;
        head += 'Transfer-Encoding: chunked\r\n';
        if (payload.length > 0) {
          parts.push(Buffer.from(`${payload.length.toString(16)}\r\n`), payload);
          parts.push(Buffer.from('\r\n'));
        }
        parts.push(Buffer.from('0\r\n\r\n'));
        break;
    }
  }
  head += 'Connection: close\r\n\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), ...parts]);
}

const SANE_ID = /^[A-Za-z0-9._~:+=@/-]{1,128}$/;

/** Options of {@link responseProblems}. */
export interface ResponseRules {
  /** Whether the request was a HEAD (no body to check). */
  head: boolean;
  /** Whether a 500 is expected because a fault was injected. @default false */
  allow500?: boolean;
  /** The `source` every error body must name. */
  source?: string;
}

/**
 * What is wrong with one fuzzed response, or `[]`. A response is 2xx, or a 4xx/5xx (never
 * 500) with the contract's content type and a body passing `validateErrorBody`; it carries
 * only expected header names, no header echoes an injection, and a server never closes
 * without answering.
 */
export function responseProblems(res: RawExchange, rules: ResponseRules): string[] {
  const problems: string[] = [];
  if (res.status === undefined) {
    return [`no response (${res.bytes.length} bytes, closed: ${res.closed})`];
  }
  if (!res.complete) problems.push('response cut short');
  const status = res.status;
  if (status < 200 || (status >= 300 && status < 400) || status > 599) {
    problems.push(`status ${status}`);
  }
  if (status === 500 && !rules.allow500) problems.push('500 without an injected fault');
  for (const [name, values] of res.headers) {
    if (!EXPECTED_RESPONSE_HEADERS.has(name)) problems.push(`unexpected header ${name}`);
    for (const value of values) {
      if (!value.includes(INJECTED)) continue;
      const echo = (name === 'ms-requestid' || name === 'ms-correlationid') && SANE_ID.test(value);
      if (!echo) problems.push(`header ${name} carries injected text: ${value.slice(0, 80)}`);
    }
  }
  if (status >= 400) {
    const type = res.headers.get('content-type')?.[0];
    if (type !== 'application/json; charset=utf-8') problems.push(`content-type ${type}`);
    if (!rules.head) {
      let body: unknown;
      try {
        body = JSON.parse(res.body);
      } catch {
        problems.push(`error body is not JSON: ${res.body.slice(0, 100)}`);
        return problems;
      }
      const violations = validateErrorBody(body);
      if (violations.length > 0) problems.push(`error body: ${JSON.stringify(violations)}`);
      const source = (body as { source?: unknown }).source;
      if (rules.source !== undefined && source !== rules.source) {
        problems.push(`source ${String(source)}`);
      }
    }
  }
  return problems;
}
