/** What a Node response carried: the answer to a request, seen as it is written, for its observers. */

import type { ServerResponse } from 'node:http';
import {
  type ObserveOptions,
  type ResponseObserver,
  ResponseObservers,
} from '../pipeline/response-observers.js';

type Chunk = string | Uint8Array;

/** The body of an answer as its observers want it: the first `keep` bytes (copied), and the whole length. */
class BodyCapture {
  readonly #keep: number;
  readonly #chunks: Buffer[] = [];
  #kept = 0;
  #length = 0;

  constructor(keep: number) {
    this.#keep = keep;
  }

  /** Counts a chunk and keeps a copy of what fits under the bound. */
  add(chunk: unknown, encoding?: unknown): void {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) return;
    const text = typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8';
    const room = this.#keep - this.#kept;
    if (room <= 0) {
      this.#length += typeof chunk === 'string' ? Buffer.byteLength(chunk, text) : chunk.byteLength;
      return;
    }
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, text)
        : Buffer.from(chunk.byteLength > room ? chunk.subarray(0, room) : chunk);
    this.#length += typeof chunk === 'string' ? bytes.length : chunk.byteLength;
    const part = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.#chunks.push(part);
    this.#kept += part.length;
  }

  /** Reports the answer with this body to `observers`. */
  report(
    observers: ResponseObservers,
    status: number,
    headers: Record<string, string | number | string[] | undefined>,
  ): void {
    const chunks = this.#chunks;
    observers.report({
      status,
      headers,
      body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.#kept),
      bodyLength: this.#length,
    });
  }
}

const NO_BYTES = new Uint8Array(0);

/**
 * Reports an answer its writer hands over whole (the node:http adapter's own answers), as it
 * is written: no need to watch the response's writes for it. `body` is not copied: like the
 * socket, the observers are given bytes that do not change.
 */
function reportAnswer(
  observers: ResponseObservers,
  status: number,
  head: Record<string, string>,
  body: Uint8Array = NO_BYTES,
): void {
  observers.report({
    status,
    headers: { ...head },
    body, // each observer gets it cut to its own bound
    bodyLength: body.byteLength,
  });
}

/**
 * Reports the answer written on `res` to `observers` once, when `end` is called (its status,
 * headers and the first `observers.keep` body bytes, and the body's whole length), for a
 * response that other code writes (an Express application, a handler given the response):
 * whoever writes it, it goes through these calls. A handler that answers after its client
 * went away is still seen: its work is done, and a retry must replay it. Called once per
 * response, however many observers.
 */
export function observeNodeResponse(res: ServerResponse, observers: ResponseObservers): void {
  let status: number | undefined;
  let head: Record<string, unknown> | undefined;
  let capture: BodyCapture | undefined;
  let reported = false;
  const { writeHead, write, end } = res;

  res.writeHead = function (this: ServerResponse, code: number, ...rest: unknown[]) {
    status = code;
    const given = typeof rest[0] === 'string' ? rest[1] : rest[0];
    if (given !== null && typeof given === 'object' && !Array.isArray(given)) {
      head = given as Record<string, unknown>;
    }
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, code, ...rest);
  } as ServerResponse['writeHead'];

  res.write = function (this: ServerResponse, chunk: Chunk, ...rest: unknown[]) {
    capture ??= new BodyCapture(observers.keep);
    capture.add(chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];

  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (!reported) {
      reported = true;
      capture ??= new BodyCapture(observers.keep);
      if (typeof chunk !== 'function') capture.add(chunk, rest[0]);
      // A fresh object each call: the head's headers go on it, not on the response.
      const headers: Record<string, string | number | string[] | undefined> = res.getHeaders();
      for (const name in head) headers[name.toLowerCase()] = head[name] as string;
      capture.report(observers, status ?? res.statusCode, headers);
    }
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
}

/**
 * The observers of one Node response. Its answer is reported once, by whoever writes it: as
 * the adapter writes it whole ({@link NodeResponseObservers.answered}, node:http), else from
 * the response's writes, watched from when other code may write it (Express, a handler that
 * took the response).
 */
export class NodeResponseObservers {
  readonly #res: ServerResponse;
  readonly #observers = new ResponseObservers();
  #watching = false;

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  /** Adds an observer; `watch`: the response is (or may be) written by other code. */
  add(listener: ResponseObserver, options: ObserveOptions | undefined, watch: boolean): void {
    this.#observers.add(listener, options);
    if (watch) this.watchWrites();
  }

  /** From now on the response's writes report the answer. */
  watchWrites(): void {
    if (this.#watching) return;
    this.#watching = true;
    observeNodeResponse(this.#res, this.#observers);
  }

  /** Reports the answer the adapter is writing whole (unless the writes are watched). */
  answered(status: number, head: Record<string, string>, body: Uint8Array | undefined): void {
    if (!this.#watching) reportAnswer(this.#observers, status, head, body);
  }
}
