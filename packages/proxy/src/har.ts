/** Records the proxied exchanges as a HAR 1.2 log, secrets redacted, for replay or inspection. */

import { writeFile } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import { REDACTED } from '@apifault/client';
import type { HeaderMap } from './hop-by-hop.js';
import { isSecretHeader, redactBody, redactUrl } from './redact.js';

/** A header as HAR lists it. */
export interface HarHeader {
  name: string;
  value: string;
}

/** One request and its answer, in HAR 1.2's shape (the fields apifault writes). */
export interface HarEntry {
  startedDateTime: string;
  /** Total time in ms. */
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: never[];
    headers: HarHeader[];
    queryString: HarHeader[];
    postData?: { mimeType: string; text: string };
    headersSize: -1;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: never[];
    headers: HarHeader[];
    content: { size: number; mimeType: string; text: string; encoding?: 'base64' };
    redirectURL: string;
    headersSize: -1;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
}

/** A HAR 1.2 document. */
export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    entries: HarEntry[];
  };
}

/** What the proxy hands the recorder for one exchange. */
export interface RecordedExchange {
  started: Date;
  method: string;
  /** The full URL the request went to. */
  url: string;
  httpVersion: string;
  requestHeaders: HeaderMap;
  requestBody: Buffer | undefined;
  status: number;
  responseHeaders: HeaderMap;
  responseBody: Buffer;
  /** From the request's arrival to the answer's head, and to its end, in ms. */
  waitMs: number;
  totalMs: number;
}

function harHeaders(headers: HeaderMap): HarHeader[] {
  const out: HarHeader[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (!isSecretHeader(name)) out.push({ name, value: String(item) });
      else if (name === 'authorization' || name === 'proxy-authorization') {
        const scheme = String(item).split(' ')[0] ?? '';
        out.push({ name, value: `${scheme} ${REDACTED}` });
      } else out.push({ name, value: REDACTED });
    }
  }
  return out;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A body as HAR content: text when it is UTF-8, else base64. */
function content(
  bytes: Buffer,
  contentType: string | undefined,
): { text: string; base64: boolean } {
  try {
    return { text: redactBody(utf8.decode(bytes), contentType), base64: false };
  } catch {
    return { text: bytes.toString('base64'), base64: true };
  }
}

/** Collects entries and writes the log. */
export class HarRecorder {
  readonly #entries: HarEntry[] = [];
  readonly #version: string;

  /** @param version the creator version written in the log */
  constructor(version = '0.1.0') {
    this.#version = version;
  }

  /** Adds one exchange, its secrets redacted. */
  add(exchange: RecordedExchange): void {
    const url = redactUrl(exchange.url);
    const requestType = single(exchange.requestHeaders['content-type']);
    const responseType = single(exchange.responseHeaders['content-type']);
    const request: HarEntry['request'] = {
      method: exchange.method,
      url,
      httpVersion: `HTTP/${exchange.httpVersion}`,
      cookies: [],
      headers: harHeaders(exchange.requestHeaders),
      queryString: [...new URL(url).searchParams].map(([name, value]) => ({ name, value })),
      headersSize: -1,
      bodySize: exchange.requestBody?.length ?? 0,
    };
    if (exchange.requestBody !== undefined && exchange.requestBody.length > 0) {
      const body = content(exchange.requestBody, requestType);
      request.postData = {
        mimeType: requestType ?? '',
        text: body.base64 ? exchange.requestBody.toString('latin1') : body.text,
      };
    }
    const body = content(exchange.responseBody, responseType);
    this.#entries.push({
      startedDateTime: exchange.started.toISOString(),
      time: exchange.totalMs,
      request,
      response: {
        status: exchange.status,
        statusText: STATUS_CODES[exchange.status] ?? '',
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: harHeaders(exchange.responseHeaders),
        content: {
          size: exchange.responseBody.length,
          mimeType: responseType ?? '',
          text: body.text,
          ...(body.base64 ? { encoding: 'base64' as const } : {}),
        },
        redirectURL: single(exchange.responseHeaders.location) ?? '',
        headersSize: -1,
        bodySize: exchange.responseBody.length,
      },
      cache: {},
      timings: { send: 0, wait: exchange.waitMs, receive: exchange.totalMs - exchange.waitMs },
    });
  }

  /** How many exchanges were recorded. */
  get size(): number {
    return this.#entries.length;
  }

  /** The log so far. */
  toHar(): Har {
    return {
      log: {
        version: '1.2',
        creator: { name: 'apifault proxy', version: this.#version },
        entries: [...this.#entries],
      },
    };
  }

  /** Writes the log to `path` as JSON. */
  async write(path: string): Promise<void> {
    await writeFile(path, `${JSON.stringify(this.toHar(), null, 2)}\n`);
  }
}
