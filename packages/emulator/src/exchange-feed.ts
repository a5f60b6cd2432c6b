/**
 * Completed exchanges as objects, for whoever subscribes (the dashboard): a stage records
 * each request's method, path, ids, partner, headers and bodies, and hands the record over
 * once the response is finished or the connection closed. Nothing is recorded while nobody
 * listens, so an emulator without a subscriber pays one property read per request.
 */

import type { IncomingMessage } from 'node:http';
import type { Context, Exchange, ObservedResponse, Stage } from '@apifault/server';
import { isControlPath } from './control-plane.js';
import type { Principal } from './tokens/tokens.js';

/** The exchange `createApp` runs its stages on. */
type ExchangeContext = Exchange & Context;

/** The most bytes of a body a record keeps; the rest is counted, not kept. */
export const MAX_RECORDED_BODY = 64 * 1024;

/** A body as recorded: its first bytes, and its whole length. */
export class RecordedBody {
  #text: string | undefined;

  /**
   * @param kept the first {@link MAX_RECORDED_BODY} bytes
   * @param bytes how many bytes the body had
   */
  constructor(
    readonly kept: Uint8Array,
    readonly bytes: number,
  ) {}

  /** Whether `text` is cut short. */
  get truncated(): boolean {
    return this.bytes > this.kept.byteLength;
  }

  /** The kept bytes as UTF-8, decoded when first read: most bodies are never opened. */
  get text(): string {
    this.#text ??= Buffer.from(
      this.kept.buffer,
      this.kept.byteOffset,
      this.kept.byteLength,
    ).toString('utf8');
    return this.#text;
  }
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
  /** The status answered; 0 when the connection closed before the answer was written. */
  readonly status: number;
  readonly durationMs: number;
  readonly requestId: string;
  readonly correlationId: string;
  /** The partner tenant of the bearer token, when it was verified. */
  readonly partner: string | undefined;
  /** Whether the connection closed before the answer was written. */
  readonly aborted: boolean;
  /** The request headers, lower-case names, as received (secrets included: redact before showing). */
  readonly requestHeaders: Readonly<Record<string, string | string[] | undefined>>;
  /** The request body as the route read it; undefined when none was read. */
  readonly requestBody: RecordedBody | undefined;
  /** The response headers, lower-case names. */
  readonly responseHeaders: Readonly<
    Record<string, string | readonly string[] | number | undefined>
  >;
  /** The response body; undefined when there was none. */
  readonly responseBody: RecordedBody | undefined;
}

/** Receives each completed exchange. */
export type ExchangeListener = (exchange: CompletedExchange) => void;

/** Keeps the first bytes of a request body's chunks and counts the rest. */
class BodyRecorder {
  readonly #chunks: Buffer[] = [];
  #kept = 0;
  #bytes = 0;

  add(chunk: Buffer): void {
    this.#bytes += chunk.length;
    if (this.#kept >= MAX_RECORDED_BODY) return;
    const part = chunk.subarray(0, MAX_RECORDED_BODY - this.#kept);
    this.#chunks.push(part);
    this.#kept += part.length;
  }

  body(): RecordedBody | undefined {
    if (this.#bytes === 0) return undefined;
    return recordedBody(Buffer.concat(this.#chunks, this.#kept), this.#bytes);
  }
}

/** A body as recorded from its first bytes and its whole length; undefined when empty. */
function recordedBody(kept: Uint8Array | undefined, bytes: number): RecordedBody | undefined {
  return kept === undefined || bytes === 0 ? undefined : new RecordedBody(kept, bytes);
}

/**
 * Records the body a route reads: a `data` listener added at the moment the route's reader
 * adds its own, so both see the same chunks and a body nobody reads is left alone (adding
 * one earlier would start the flow before the reader listens, and it would miss chunks).
 * A request that declares no body is not watched at all.
 */
function recordRequestBody(req: IncomingMessage, recorder: BodyRecorder): void {
  const { headers } = req;
  const length = headers['content-length'];
  if ((length === undefined || length === '0') && headers['transfer-encoding'] === undefined) {
    return;
  }
  let listening = false;
  const onNewListener = (event: string | symbol): void => {
    if (event !== 'data' || listening) return;
    listening = true;
    req.off('newListener', onNewListener);
    req.on('data', (chunk: Buffer) => recorder.add(chunk));
  };
  req.on('newListener', onNewListener);
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
    const arrived = Date.now();
    const started = performance.now();
    // Not `ex.res`: taking the response would make the adapter write its headers one by one.
    const req = ex.req;
    const requestBody = new BodyRecorder();
    recordRequestBody(req, requestBody);
    // The answer as the pipeline saw it written, through the same observation as the
    // idempotency stage's; reported once the connection is done with, answered or not.
    let answer: ObservedResponse | undefined;
    ex.observeResponse(
      (response) => {
        answer = response;
      },
      { maxBodyBytes: MAX_RECORDED_BODY },
    );
    ex.onClose(() => {
      const exchange: CompletedExchange = {
        time: new Date(arrived).toISOString(),
        method: ex.method,
        path: ex.path,
        target: ex.target,
        secure: (req.socket as { encrypted?: boolean }).encrypted === true,
        status: answer?.status ?? 0,
        durationMs: Math.round((performance.now() - started) * 1e3) / 1e3,
        requestId: ex.requestId,
        correlationId: ex.correlationId,
        partner: (ex.principal as Principal | undefined)?.partnerTenantId,
        // No answer was written before the connection closed.
        aborted: answer === undefined,
        requestHeaders: req.headers,
        requestBody: requestBody.body(),
        responseHeaders: answer?.headers ?? {},
        // A HEAD's body is never sent, whatever the route wrote.
        responseBody:
          ex.method === 'HEAD' || answer === undefined
            ? undefined
            : recordedBody(answer.body, answer.bodyLength),
      };
      for (const listener of this.#listeners) listener(exchange);
    });
  }
}
