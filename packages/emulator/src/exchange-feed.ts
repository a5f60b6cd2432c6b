/**
 * Completed exchanges as objects, for whoever subscribes (the dashboard): a stage records
 * each request's method, path, ids, partner, headers and bodies, and hands the record over
 * once the response is finished or the connection closed. Nothing is recorded while nobody
 * listens, so an emulator without a subscriber pays one property read per request.
 */

import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Context, Exchange, Stage } from '@apifault/server';
import { isControlPath } from './control-plane.js';
import type { Principal } from './tokens/tokens.js';

/** The exchange `createApp` runs its stages on. */
type ExchangeContext = Exchange & Context;

/** The most bytes of a body a record keeps; the rest is counted, not kept. */
export const MAX_RECORDED_BODY = 64 * 1024;

/** A body as recorded: its first bytes as text, and its whole length. */
export interface RecordedBody {
  /** The first {@link MAX_RECORDED_BODY} bytes, decoded as UTF-8. */
  readonly text: string;
  /** How many bytes the body had. */
  readonly bytes: number;
  /** Whether `text` is cut short. */
  readonly truncated: boolean;
}

/** One request and its response, as the emulator saw them. */
export interface CompletedExchange {
  /** When the request arrived (ISO 8601). */
  readonly time: string;
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  /** The request target as sent (path and query). */
  readonly target: string;
  /** Whether the request came over TLS. */
  readonly secure: boolean;
  /** The status answered; 0 when the connection closed before any answer. */
  readonly status: number;
  readonly durationMs: number;
  readonly requestId: string;
  readonly correlationId: string;
  /** The partner tenant of the bearer token, when it was verified. */
  readonly partner: string | undefined;
  /** Whether the connection closed before the response was finished. */
  readonly aborted: boolean;
  /** The request headers, lower-case names, as received (secrets included: redact before showing). */
  readonly requestHeaders: Readonly<Record<string, string | string[] | undefined>>;
  /** The request body as the route read it; undefined when none was read. */
  readonly requestBody: RecordedBody | undefined;
  /** The response headers, lower-case names. */
  readonly responseHeaders: Readonly<Record<string, string | string[] | number | undefined>>;
  /** The response body; undefined when there was none. */
  readonly responseBody: RecordedBody | undefined;
}

/** Receives each completed exchange. */
export type ExchangeListener = (exchange: CompletedExchange) => void;

/** Keeps the first bytes of a stream of chunks and counts the rest. */
class BodyRecorder {
  readonly #chunks: Buffer[] = [];
  #kept = 0;
  #bytes = 0;

  add(chunk: unknown, encoding?: unknown): void {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
          : undefined;
    if (buffer === undefined) return;
    this.#bytes += buffer.length;
    if (this.#kept >= MAX_RECORDED_BODY) return;
    const part = buffer.subarray(0, MAX_RECORDED_BODY - this.#kept);
    this.#chunks.push(part);
    this.#kept += part.length;
  }

  body(): RecordedBody | undefined {
    if (this.#bytes === 0) return undefined;
    return {
      text: Buffer.concat(this.#chunks, this.#kept).toString('utf8'),
      bytes: this.#bytes,
      truncated: this.#bytes > this.#kept,
    };
  }
}

/**
 * Records the body a route reads: a `data` listener added at the moment the route's reader
 * adds its own, so both see the same chunks and a body nobody reads is left alone (adding
 * one earlier would start the flow before the reader listens, and it would miss chunks).
 */
function recordRequestBody(req: IncomingMessage, recorder: BodyRecorder): void {
  let listening = false;
  const onNewListener = (event: string | symbol): void => {
    if (event !== 'data' || listening) return;
    listening = true;
    req.off('newListener', onNewListener);
    req.on('data', (chunk: Buffer) => recorder.add(chunk));
  };
  req.on('newListener', onNewListener);
}

/** The headers of `writeHead`'s arguments (`status, [reason], [headers]`), as an object. */
function headersOfWriteHead(args: unknown[]): OutgoingHttpHeaders {
  const headers = args.find((arg, i) => i > 0 && typeof arg === 'object' && arg !== null);
  if (headers === undefined) return {};
  if (!Array.isArray(headers)) return headers as OutgoingHttpHeaders;
  const result: OutgoingHttpHeaders = {};
  // [[name, value], ...] or [name, value, name, value, ...]
  const flat: unknown[] = Array.isArray(headers[0]) ? headers.flat() : headers;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    result[String(flat[i]).toLowerCase()] = String(flat[i + 1]);
  }
  return result;
}

type Writer = (...args: unknown[]) => unknown;

/**
 * Records what is written on `res`: the head `writeHead` is given (the node:http adapter
 * writes its headers there, not through `setHeader`) and the body's chunks.
 */
function recordResponse(
  res: ServerResponse,
  recorder: BodyRecorder,
): { headers: () => OutgoingHttpHeaders } {
  let head: OutgoingHttpHeaders = {};
  const target = res as unknown as { writeHead: Writer; write: Writer; end: Writer };
  const { writeHead, write, end } = target;
  target.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    head = headersOfWriteHead(args);
    return writeHead.apply(this, args);
  };
  target.write = function (this: ServerResponse, ...args: unknown[]) {
    recorder.add(args[0], args[1]);
    return write.apply(this, args);
  };
  target.end = function (this: ServerResponse, ...args: unknown[]) {
    recorder.add(args[0], args[1]);
    return end.apply(this, args);
  };
  return {
    headers: () => {
      const merged: OutgoingHttpHeaders = { ...res.getHeaders() };
      for (const name in head) merged[name.toLowerCase()] = head[name];
      return merged;
    },
  };
}

/** The completed exchanges of one emulator, to its subscribers. */
export class ExchangeFeed {
  readonly #listeners = new Set<ExchangeListener>();

  /** Whether anyone listens (requests are recorded only then). */
  get watched(): boolean {
    return this.#listeners.size > 0;
  }

  /** Calls `listener` with every exchange completed from now on; returns the unsubscribe. */
  subscribe(listener: ExchangeListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * The stage that records requests, placed first. The control plane's own traffic
   * (`/_emulator/*`: the dashboard's page, stream and polling among it) is not recorded.
   */
  stage(): Stage<ExchangeContext> {
    return {
      name: 'exchange-feed',
      before: 'availability',
      run: (ex) => {
        if (this.#listeners.size === 0 || isControlPath(ex.path)) return;
        this.#record(ex);
      },
    };
  }

  #record(ex: ExchangeContext): void {
    const arrived = new Date();
    const started = process.hrtime.bigint();
    const req = ex.req;
    const res = ex.res;
    const requestBody = new BodyRecorder();
    const responseBody = new BodyRecorder();
    recordRequestBody(req, requestBody);
    const response = recordResponse(res, responseBody);
    res.once('close', () => {
      const exchange: CompletedExchange = {
        time: arrived.toISOString(),
        method: ex.method,
        path: ex.path,
        target: req.url ?? ex.path,
        secure: (req.socket as { encrypted?: boolean }).encrypted === true,
        status: res.headersSent ? res.statusCode : 0,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e3) / 1e3,
        requestId: ex.requestId,
        correlationId: ex.correlationId,
        partner: (ex.principal as Principal | undefined)?.partnerTenantId,
        aborted: !res.writableFinished,
        requestHeaders: req.headers,
        requestBody: requestBody.body(),
        responseHeaders: response.headers(),
        // A HEAD's body is never sent, whatever the route wrote.
        responseBody: ex.method === 'HEAD' ? undefined : responseBody.body(),
      };
      for (const listener of this.#listeners) listener(exchange);
    });
  }
}
