/** The exchange of a Fastify request and reply. */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { bufferBody } from '../body/node.js';
import type { StoredResponse } from '../idempotency/types.js';
import { Exchange, pathOfTarget } from '../pipeline/index.js';
import {
  type ObserveOptions,
  type ResponseObserver,
  ResponseObservers,
} from '../pipeline/response-observers.js';
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

  override get target(): string {
    return this.request.url;
  }

  /** The body bytes read before Fastify parses the body: its parser is given them instead. */
  bodyBytes: Promise<Buffer> | undefined;

  readBody(limit: number, timeoutMs: number): Promise<Uint8Array> {
    this.bodyBytes = bufferBody(this.request.raw, limit, timeoutMs);
    return this.bodyBytes;
  }

  #observers: ResponseObservers | undefined;

  observeResponse(listener: ResponseObserver, options?: ObserveOptions): void {
    this.#observers ??= new ResponseObservers();
    this.#observers.add(listener, options);
  }

  /** Called with the payload of every answer sent (`onSend`): reports it to the observers. */
  sent(payload: unknown): void {
    const observers = this.#observers;
    if (observers === undefined) return;
    const body =
      typeof payload === 'string'
        ? Buffer.from(payload)
        : payload instanceof Uint8Array
          ? payload
          : payload === null || payload === undefined
            ? new Uint8Array(0)
            : undefined;
    observers.report({
      status: this.reply.statusCode,
      headers: this.reply.getHeaders(),
      body,
      bodyLength: body?.byteLength ?? 0,
    });
  }

  sendStored(response: StoredResponse): void {
    const { body } = response;
    this.reply
      .code(response.status)
      .headers(response.headers)
      .send(body.byteLength === 0 ? undefined : Buffer.from(body));
  }

  destroy(): void {
    this.reply.raw.destroy();
  }

  onClose(listener: () => void): void {
    this.reply.raw.once('close', listener);
  }
}
