/** The exchange of a Node `(req, res)` pair: shared by the node:http and Express adapters. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { bufferBody } from '../body/node.js';
import type { StoredResponse } from '../idempotency/types.js';
import { Exchange } from '../pipeline/exchange.js';
import type { ObserveOptions, ResponseObserver } from '../pipeline/response-observers.js';
import type { RenderedError } from '../render/index.js';
import { echoOrGenerateId, type RequestIds } from '../request-ids/index.js';
import { NodeResponseObservers } from './node-response.js';

/** How long a closing connection waits for its client to take the answer. */
const GRACE_MS = 2000;

/**
 * Gives the close that follows an early answer (a 413 while the client is still sending) a
 * grace period. Node closes the socket as soon as the answer is written, and closing with
 * unread bytes sends a reset, which makes the client's kernel drop the answer before the
 * client has read it. Instead the socket sends its end at once and reads nothing more (the
 * client's writes stall), and is closed when the client closes or after 2 s.
 */
export function lingerOnClose(req: IncomingMessage): void {
  if (req.complete) return;
  // Node resumes an unread request to discard it before closing: stop reading instead.
  req.socket.destroySoon = () => closeConnection(req);
}

/** The most of an unread body drained after an answer before the connection is closed instead. */
const DRAIN_BYTES = 64 * 1024;

/** Closes a connection now: its end at once, the rest of the request unread, then the socket. */
function closeConnection(req: IncomingMessage): void {
  const socket = req.socket;
  if (socket.destroyed) return;
  req.pause();
  socket.pause();
  socket.end();
  const timer = setTimeout(() => socket.destroy(), GRACE_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/**
 * Holds a request's body to the body timeout whether or not the route read it. Once the
 * answer is written, a body still arriving is drained only if it is small (a declared
 * length of at most 64 KiB) and only until the body timeout, counted from the request's
 * start; otherwise the connection is closed: Node would read an unconsumed body to its end
 * to keep the connection, however large or slow.
 */
export function guardBody(req: IncomingMessage, res: ServerResponse, timeoutMs: number): void {
  const headers = req.headers;
  const length = headers['content-length'];
  if ((length === undefined || length === '0') && headers['transfer-encoding'] === undefined) {
    return;
  }
  const started = Date.now();
  res.once('finish', () => {
    if (req.complete || req.socket.destroyed) return;
    if (length === undefined || !(Number(length) <= DRAIN_BYTES)) {
      closeConnection(req);
      return;
    }
    const timer = setTimeout(
      () => {
        if (!req.complete) closeConnection(req);
      },
      Math.max(0, started + timeoutMs - Date.now()),
    );
    timer.unref();
    req.once('end', () => clearTimeout(timer));
    req.socket.once('close', () => clearTimeout(timer));
  });
}

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
   * exchange, in one object, which Node writes without building a header map.
   */
  answer(status: number, head: Record<string, string>, body?: string | Uint8Array): void {
    const res = this.#res;
    const set = this.#head;
    if (set === undefined) {
      res.writeHead(status, head);
    } else {
      for (const name in head) set[name] = head[name]!;
      this.#observers?.answered(status, set, body);
      res.writeHead(status, set);
    }
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
