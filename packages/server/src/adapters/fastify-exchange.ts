/** The exchange of a Fastify request and reply. */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Exchange, pathOfTarget } from '../pipeline/index.js';
import type { RenderedError } from '../render/index.js';
import { headersTruncated, lingerOnClose } from './node-exchange.js';

/** An {@link Exchange} over Fastify's request and reply. */
export class FastifyExchange extends Exchange {
  constructor(
    readonly request: FastifyRequest,
    readonly reply: FastifyReply,
  ) {
    super(request.method, pathOfTarget(request.url), request.headers);
  }

  get started(): boolean {
    return this.reply.sent || this.reply.raw.headersSent;
  }

  override get headersTruncated(): boolean {
    return headersTruncated(this.request.raw);
  }

  setHeader(name: string, value: string): void {
    this.reply.header(name, value);
  }

  send(rendered: RenderedError): void {
    if (rendered.headers['connection'] === 'close') lingerOnClose(this.request.raw);
    this.reply.code(rendered.status).headers(rendered.headers).send(rendered.json);
  }

  destroy(): void {
    this.reply.raw.destroy();
  }

  onClose(listener: () => void): void {
    this.reply.raw.once('close', listener);
  }
}
