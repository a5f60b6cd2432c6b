/** The emulator's ServerResponse: the headers every answer carries join whatever head is written, in one writeHead. */

import {
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';

type Head = OutgoingHttpHeaders | OutgoingHttpHeader[];

// Assignment in a loop rather than object spread: V8 builds a spread's result through its
// runtime, by far the slowest step of writing a head.
function merge(into: OutgoingHttpHeaders, from: OutgoingHttpHeaders): OutgoingHttpHeaders {
  for (const name in from) into[name] = from[name];
  return into;
}

/**
 * A `ServerResponse` (given to `http.createServer` as its `ServerResponse` class) that adds
 * the headers {@link stampHeaders} gave it to the head, whoever writes it: the emulator's
 * own success path, the server's error renderer or Node's implicit head. Node writes a head
 * passed whole to `writeHead` straight out, whereas `setHeader` first builds a header map
 * that `writeHead` then merges into: stamping skips that map on every response.
 */
export class EmulatorResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends ServerResponse<Request> {
  #stamped: OutgoingHttpHeaders | undefined;
  #head: OutgoingHttpHeaders | undefined;

  /** Adds `headers` to the head this response will write (later names win over earlier ones). */
  stamp(headers: Record<string, string>): void {
    const stamped = this.#stamped;
    if (stamped === undefined) this.#stamped = headers;
    else this.#stamped = merge(merge({}, stamped), headers);
  }

  /**
   * A header of the written response: set with `setHeader`, or passed to `writeHead` (whose
   * names the emulator and the server write in lower case).
   */
  sentHeader(name: string): string | undefined {
    const value = this.getHeader(name) ?? this.#head?.[name];
    return typeof value === 'string' ? value : undefined;
  }

  override writeHead(statusCode: number, reason?: string | Head, headers?: Head): this {
    let message: string | undefined;
    let head: Head | undefined;
    if (typeof reason === 'string') {
      message = reason;
      head = headers;
    } else {
      head = reason;
    }
    const stamped = this.#stamped;
    if (stamped !== undefined) {
      if (head === undefined) {
        head = stamped;
      } else if (Array.isArray(head)) {
        // Raw header pairs: Node merges them with headers set before, so set ours that way.
        for (const name in stamped) this.setHeader(name, stamped[name] as string);
      } else {
        head = merge(merge({}, stamped), head);
      }
    }
    if (head !== undefined && !Array.isArray(head)) this.#head = head;
    return message === undefined
      ? super.writeHead(statusCode, head)
      : super.writeHead(statusCode, message, head);
  }
}

/**
 * Gives `res` headers its answer must carry whatever it turns out to be: stamped on an
 * {@link EmulatorResponse}, set with `setHeader` on any other response.
 */
export function stampHeaders(res: ServerResponse, headers: Record<string, string>): void {
  if (res instanceof EmulatorResponse) {
    res.stamp(headers);
    return;
  }
  for (const name in headers) res.setHeader(name, headers[name] as string);
}

/**
 * A header of `res` as it was (or will be) written: see {@link EmulatorResponse.sentHeader};
 * `getHeader` on any other response.
 */
export function sentHeader(res: ServerResponse, name: string): string | undefined {
  if (res instanceof EmulatorResponse) return res.sentHeader(name);
  const value = res.getHeader(name);
  return typeof value === 'string' ? value : undefined;
}
