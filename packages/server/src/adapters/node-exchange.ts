/** The exchange of a Node `(req, res)` pair: shared by the node:http and Express adapters. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { Exchange } from '../pipeline/exchange.js';
import type { RenderedError } from '../render/index.js';
import { echoOrGenerateId, type RequestIds } from '../request-ids/index.js';

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
  const socket = req.socket;
  socket.destroySoon = () => {
    // Node resumes an unread request to discard it: stop reading instead.
    req.pause();
    socket.pause();
    socket.end();
    const timer = setTimeout(() => socket.destroy(), GRACE_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
}

/** The path and query string of a request target. */
export function splitTarget(url: string): { path: string; search: string } {
  const q = url.indexOf('?');
  return q === -1 ? { path: url, search: '' } : { path: url.slice(0, q), search: url.slice(q + 1) };
}

/** An {@link Exchange} over Node's request and response. */
export class NodeExchange extends Exchange {
  /**
   * @param req the Node request
   * @param res the Node response
   * @param path the path as sent, without the query string
   * @param ids ids already chosen for this request (see {@link Exchange})
   */
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    path: string,
    ids?: RequestIds,
  ) {
    super(req.method ?? 'GET', path, req.headers, ids);
  }

  get started(): boolean {
    return this.res.headersSent || this.res.writableEnded;
  }

  setHeader(name: string, value: string): void {
    this.res.setHeader(name, value);
  }

  send(rendered: RenderedError): void {
    if (rendered.headers['connection'] === 'close') lingerOnClose(this.req);
    this.res.writeHead(rendered.status, rendered.headers);
    this.res.end(rendered.json);
  }

  destroy(): void {
    if (!this.res.destroyed) this.res.destroy();
  }

  onClose(listener: () => void): void {
    this.res.once('close', listener);
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
