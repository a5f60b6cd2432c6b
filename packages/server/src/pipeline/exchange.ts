/** The request as the pipeline sees it, whatever the framework: ids, principal, and the few things an adapter must translate. */

import type { Locale } from '@apifault/contract';
import type { StoredResponse } from '../idempotency/types.js';
import { localeOf, type RenderedError } from '../render/index.js';
import { echoOrGenerateId, type HeadersRecord, type RequestIds } from '../request-ids/index.js';
import type { ObserveOptions, ResponseObserver } from './response-observers.js';

/**
 * One request going through the pipeline. The pipeline's stages read it and an adapter
 * subclasses it to say how its framework's response is written: that translation is all an
 * adapter does.
 */
export abstract class Exchange {
  /** The `MS-RequestId` the response carries: the caller's when sane, else a new one. */
  readonly requestId: string;
  /** The `MS-CorrelationId` the response carries. */
  readonly correlationId: string;
  /** What authentication returned (the verifier's principal), once the auth stage ran. */
  principal: unknown = undefined;
  #locale: Locale | undefined;

  /**
   * @param method the upper-case method
   * @param path the path as the client sent it, without the query string (not decoded)
   * @param headers the request headers, lower-cased names
   * @param ids ids already chosen for this request; by default, the caller's when sane, else new
   */
  constructor(
    readonly method: string,
    readonly path: string,
    readonly headers: HeadersRecord,
    ids?: RequestIds,
  ) {
    this.requestId = ids?.requestId ?? echoOrGenerateId(headers['ms-requestid']);
    this.correlationId = ids?.correlationId ?? echoOrGenerateId(headers['ms-correlationid']);
  }

  /** The locale negotiated from `X-Locale` / `Accept-Language`. */
  get locale(): Locale {
    this.#locale ??= localeOf(this.headers);
    return this.#locale;
  }

  /** Whether the server dropped header fields over its limit: the request is answered 431. */
  get headersTruncated(): boolean {
    return false;
  }

  /** The path with its query string, as sent. @default the path */
  get target(): string {
    return this.path;
  }

  /**
   * Reads the whole request body (413 over `limit` bytes, 408 after `timeoutMs`) and keeps
   * it, so the handler still reads the body as usual.
   */
  abstract readBody(limit: number, timeoutMs: number): Promise<Uint8Array>;
  /**
   * Calls `listener` once with the answer the application gave (status, headers, body
   * bytes; `undefined` when they could not be read), even when the client has gone: the
   * handler's work is done (the idempotency stage stores it; a dashboard shows it). Any
   * number of stages may observe one response: it is captured once, keeping the most body
   * bytes any of them asked for. An answer that never comes calls no one: pair it with
   * {@link Exchange.onClose} to learn of a connection closed first.
   */
  abstract observeResponse(listener: ResponseObserver, options?: ObserveOptions): void;
  /** Writes a stored answer as the whole response, with the headers set on the exchange. */
  abstract sendStored(response: StoredResponse): void;
  /** Whether the response has started: an error can then only cut it. */
  abstract get started(): boolean;
  /** Puts a header on the response, whether it turns out a success or an error. */
  abstract setHeader(name: string, value: string): void;
  /** Writes a rendered error as the whole response. */
  abstract send(rendered: RenderedError): void;
  /** Cuts the connection: the client sees no answer, or an answer cut short. */
  abstract destroy(): void;
  /** Calls `listener` once, when the response is finished or the connection has closed. */
  abstract onClose(listener: () => void): void;
}
