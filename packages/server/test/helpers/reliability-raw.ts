/**
 * A raw HTTP/1.1 exchange over a net.Socket for the reliability suites: any bytes out,
 * the response parsed by hand (so odd bytes, cut responses and silent closes are all seen).
 */

import net from 'node:net';

/** What came back on the socket. */
export interface RawExchange {
  /** Every byte the server sent before it closed (or before the wait ended). */
  bytes: Buffer;
  /** The parsed status, or undefined when no status line came back. */
  status: number | undefined;
  /** Response headers, lower-case names; repeated names keep every value. */
  headers: Map<string, string[]>;
  /** The response body (de-chunked), as text. */
  body: string;
  /** Whether the response was complete per its framing (Content-Length or chunked). */
  complete: boolean;
  /** Whether the server closed the connection (rather than the wait ending). */
  closed: boolean;
}

/** Options of {@link exchange}. */
export interface ExchangeOptions {
  /** Give up waiting after this long (the result then has `closed: false`). @default 4000 */
  waitMs?: number;
  /** Whether the request was a HEAD (its response has no body whatever the headers say). */
  head?: boolean;
  /** Resolve as soon as one complete response is in, without waiting for the close. @default false */
  firstResponse?: boolean;
}

interface Parsed {
  status: number | undefined;
  headers: Map<string, string[]>;
  body: string;
  complete: boolean;
}

/** Parses one HTTP/1.1 response out of `bytes` (Content-Length, chunked or read-to-close). */
export function parseResponse(bytes: Buffer, head = false, closed = true): Parsed {
  const headers = new Map<string, string[]>();
  // Interim responses (100 Continue) come first: the final one follows.
  while (/^HTTP\/1\.[01] 1\d\d /.test(bytes.subarray(0, 16).toString('latin1'))) {
    const interim = bytes.indexOf('\r\n\r\n');
    if (interim === -1) break;
    bytes = bytes.subarray(interim + 4);
  }
  const end = bytes.indexOf('\r\n\r\n');
  if (end === -1) return { status: undefined, headers, body: '', complete: false };
  const lines = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const list = headers.get(name) ?? [];
    list.push(line.slice(colon + 1).trim());
    headers.set(name, list);
  }
  const status = match ? Number(match[1]) : undefined;
  const rest = bytes.subarray(end + 4);
  if (head || status === 204 || status === 304) {
    return { status, headers, body: '', complete: true };
  }
  const length = headers.get('content-length')?.[0];
  if (length !== undefined) {
    const n = Number(length);
    return {
      status,
      headers,
      body: rest.subarray(0, n).toString('utf8'),
      complete: rest.length >= n,
    };
  }
  if (headers.get('transfer-encoding')?.some((v) => /chunked/i.test(v))) {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = rest.indexOf('\r\n', at);
      if (lineEnd === -1) return { status, headers, body: '', complete: false };
      const size = Number.parseInt(rest.subarray(at, lineEnd).toString('latin1'), 16);
      if (!Number.isFinite(size)) return { status, headers, body: '', complete: false };
      if (size === 0) break;
      const start = lineEnd + 2;
      if (rest.length < start + size) return { status, headers, body: '', complete: false };
      parts.push(rest.subarray(start, start + size));
      at = start + size + 2;
    }
    return { status, headers, body: Buffer.concat(parts).toString('utf8'), complete: true };
  }
  // No framing: the body runs to the close.
  return { status, headers, body: rest.toString('utf8'), complete: closed };
}

/**
 * Connects to `port` on 127.0.0.1, writes `request` (bytes or chunks written in turn), and
 * collects everything until the server closes, or until `waitMs`. Never rejects: a reset or
 * a refused write shows up as what was (not) received.
 */
export function exchange(
  port: number,
  request: Buffer | string,
  options: ExchangeOptions = {},
): Promise<RawExchange> {
  const waitMs = options.waitMs ?? 4000;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1');
    let settled = false;
    const done = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const bytes = Buffer.concat(chunks);
      resolve({ bytes, closed, ...parseResponse(bytes, options.head, closed) });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (options.firstResponse) {
        const parsed = parseResponse(Buffer.concat(chunks), options.head, false);
        if (parsed.complete) done(false);
      }
    });
    socket.on('end', () => done(true));
    socket.on('close', () => done(true));
    // EPIPE/ECONNRESET after the server answered and closed: what was received still counts.
    socket.on('error', () => done(true));
    socket.on('connect', () => socket.write(request));
  });
}

/** The header names (lower-case) an apifault response may carry, whatever the request. */
export const EXPECTED_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  'allow',
  'cache-control',
  'connection',
  'content-length',
  'content-type',
  'date',
  'etag',
  'keep-alive',
  'location',
  'ms-correlationid',
  'ms-cv',
  'ms-requestid',
  'ms-serverid',
  'ratelimit',
  'ratelimit-policy',
  'retry-after',
  'transfer-encoding',
  'vary',
  'www-authenticate',
  'x-content-type-options',
  'x-powered-by',
]);
