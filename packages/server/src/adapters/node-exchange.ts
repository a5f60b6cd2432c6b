/** The exchange of a Node `(req, res)` pair: shared by the node:http and Express adapters. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { bufferBody } from '../body/node.js';
import type { StoredResponse } from '../idempotency/types.js';
import { Exchange } from '../pipeline/exchange.js';
import type { ObserveOptions, ResponseObserver } from '../pipeline/response-observers.js';
import type { RenderedError } from '../render/index.js';
import { echoOrGenerateId, type RequestIds } from '../request-ids/index.js';
import { lingerOnClose } from './node-close.js';
import { NodeResponseObservers } from './node-response.js';

export { guardBody, lingerOnClose } from './node-close.js';

/** An {@link Exchange} over Node's request and response. */
export class NodeExchange extends Exchange {
  readonly #res: ServerResponse;
  /** Headers set on the exchange, not yet on the response: written with its head. */
  #head: Record<string, string> | undefined;
  #observers: NodeResponseObservers | undefined;

  /**
   * @param req the Node request
   * @param res the Node response
   * @param path the path as sent, without the query string
   * @param ids ids already chosen for this request (see {@link Exchange})
   * @param collect whether headers set on the exchange wait to be written with the head, in
   *   one object: what the adapter writes itself (node:http). Otherwise (Express, whose
   *   application writes the response) they go on the response at once.
   */
  constructor(
    readonly req: IncomingMessage,
    res: ServerResponse,
    path: string,
    ids?: RequestIds,
    collect = false,
  ) {
    super(req.method ?? 'GET', path, req.headers, ids);
    this.#res = res;
    this.#head = collect ? {} : undefined;
  }

  /**
   * The Node response. Code that takes it to write the response itself gets the headers set
   * on the exchange so far set on it, and later ones go there directly.
   */
  get res(): ServerResponse {
    const head = this.#head;
    if (head !== undefined) {
      this.#head = undefined;
      for (const name in head) this.#res.setHeader(name, head[name]!);
      this.#observers?.watchWrites();
    }
    return this.#res;
  }

  get started(): boolean {
    return this.#res.headersSent || this.#res.writableEnded;
  }

  /** Whether the whole response was handed to the system. */
  get finished(): boolean {
    return this.#res.writableFinished;
  }

  override get headersTruncated(): boolean {
    return headersTruncated(this.req);
  }

  setHeader(name: string, value: string): void {
    if (this.#head !== undefined) this.#head[name.toLowerCase()] = value;
    else this.#res.setHeader(name, value);
  }

  /**
   * Writes the whole response: `head` (lower-case names) over the headers set on the
   * exchange, in one object, which Node writes without building a header map. As with
   * `res.end`, `body`'s bytes must not change once given: its observers see them uncopied.
   */
  answer(status: number, head: Record<string, string>, body?: string | Uint8Array): void {
    const res = this.#res;
    const set = this.#head;
    if (set !== undefined) {
      for (const name in head) set[name] = head[name]!;
      // The observers get bytes; the socket still gets a string as a string, which Node
      // sends in one write with the head.
      this.#observers?.answered(status, set, typeof body === 'string' ? Buffer.from(body) : body);
    }
    res.writeHead(status, set ?? head);
    res.end(body);
  }

  send(rendered: RenderedError): void {
    if (rendered.headers['connection'] === 'close') lingerOnClose(this.req);
    this.answer(rendered.status, rendered.headers, rendered.json);
  }

  override get target(): string {
    return this.req.url ?? this.path;
  }

  readBody(limit: number, timeoutMs: number): Promise<Uint8Array> {
    return bufferBody(this.req, limit, timeoutMs);
  }

  observeResponse(listener: ResponseObserver, options?: ObserveOptions): void {
    this.#observers ??= new NodeResponseObservers(this.#res);
    this.#observers.add(listener, options, this.#head === undefined);
  }

  sendStored(response: StoredResponse): void {
    const head = {
      ...response.headers,
      'ms-requestid': this.requestId,
      'ms-correlationid': this.correlationId,
    };
    this.answer(response.status, head, response.body);
  }

  destroy(): void {
    if (!this.#res.destroyed) this.#res.destroy();
  }

  onClose(listener: () => void): void {
    this.#res.once('close', listener);
  }
}

/** The ids a response already carries (set by an earlier middleware), else the request's. */
export function idsOf(req: IncomingMessage, res: ServerResponse): RequestIds {
  const requestId = res.getHeader('ms-requestid');
  const correlationId = res.getHeader('ms-correlationid');
  return {
    requestId:
      typeof requestId === 'string' ? requestId : echoOrGenerateId(req.headers['ms-requestid']),
    correlationId:
      typeof correlationId === 'string'
        ? correlationId
        : echoOrGenerateId(req.headers['ms-correlationid']),
  };
}

/**
 * Whether Node dropped header fields over its server's `maxHeadersCount` (2000 by default),
 * which its parser applies to the flat list of names and values: `rawHeaders` reaches it.
 */
export function headersTruncated(req: IncomingMessage): boolean {
  const server = (req.socket as { server?: { maxHeadersCount?: number | null } }).server;
  return req.rawHeaders.length >= (server?.maxHeadersCount || 2000);
}
