/** The exchange of a Hono context: on Node the raw request and outgoing message, elsewhere Hono's own request and headers. */

import type { Context } from 'hono';
import { bufferRequestBody } from '../body/web.js';
import type { StoredResponse } from '../idempotency/types.js';
import type { ResolvedOptions } from '../options.js';
import { Exchange, pathOfTarget } from '../pipeline/index.js';
import {
  type ObserveOptions,
  type ResponseObserver,
  ResponseObservers,
} from '../pipeline/response-observers.js';
import type { RenderedError } from '../render/index.js';
import type { HeadersRecord } from '../request-ids/index.js';

// biome-ignore lint/suspicious/noExplicitAny: a handler must fit any application's Env
export type AnyContext = Context<any>;

/** The Node objects @hono/node-server gives as `c.env`. */
interface NodeBindings {
  incoming?: {
    url?: string;
    headers?: HeadersRecord;
    rawHeaders?: string[];
    socket?: { server?: { maxHeadersCount?: number | null } };
  };
  outgoing?: {
    setHeader(name: string, value: string): unknown;
    /** The response `createNodeServer` makes: headers joined to its head in one object. */
    addToHead?(name: string, value: string): void;
    headersSent?: boolean;
    destroy(): void;
    once(event: 'close', listener: () => void): unknown;
  };
}

function webHeaders(request: Request): HeadersRecord {
  const out: HeadersRecord = {};
  request.headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/**
 * An {@link Exchange} over Hono's context. On Node (@hono/node-server) it reads the raw
 * request (its path as sent, its header record) and writes headers on the outgoing message,
 * which merges them into whatever response it writes; elsewhere, Hono's own request and
 * prepared headers.
 */
export class HonoExchange extends Exchange {
  readonly #c: AnyContext;
  readonly #node: NodeBindings | undefined;
  #closeListeners: (() => void)[] | undefined;

  /** @param options the options of the middleware, for {@link readJson} */
  constructor(
    c: AnyContext,
    readonly options: ResolvedOptions,
  ) {
    const node = c.env as NodeBindings | undefined;
    const incoming = node?.incoming;
    const onNode = typeof incoming?.url === 'string' && typeof incoming.headers === 'object';
    super(
      c.req.method,
      onNode ? pathOfTarget(incoming!.url!) : c.req.path,
      onNode ? incoming!.headers! : webHeaders(c.req.raw),
    );
    this.#c = c;
    this.#node = onNode && typeof node?.outgoing?.setHeader === 'function' ? node : undefined;
  }

  get started(): boolean {
    return this.#node?.outgoing?.headersSent === true;
  }

  override get headersTruncated(): boolean {
    // Node's parser drops what is over maxHeadersCount (2000 by default) names and values.
    const incoming = this.#node?.incoming;
    if (incoming?.rawHeaders === undefined) return false;
    return incoming.rawHeaders.length >= (incoming.socket?.server?.maxHeadersCount || 2000);
  }

  setHeader(name: string, value: string): void {
    const outgoing = this.#node?.outgoing;
    if (outgoing === undefined || outgoing.headersSent) this.#c.header(name, value);
    else if (outgoing.addToHead !== undefined) outgoing.addToHead(name, value);
    else outgoing.setHeader(name, value);
  }

  /**
   * The error response `send` made, for the handler to return: Hono sets it as the context's
   * response itself (assigning `c.res` here too would make Hono copy it into a second one).
   */
  answer: Response | undefined;

  send(rendered: RenderedError): void {
    this.answer = new Response(rendered.json, {
      status: rendered.status,
      headers: rendered.headers,
    });
  }

  override get target(): string {
    const url = this.#node?.incoming?.url;
    if (url !== undefined) return url;
    const parsed = new URL(this.#c.req.url);
    return parsed.pathname + parsed.search;
  }

  readBody(limit: number, timeoutMs: number): Promise<Uint8Array> {
    const req = this.#c.req;
    const bytes = bufferRequestBody(req.raw, limit, timeoutMs);
    // Hono's own body readers (c.req.json(), c.req.text() …) start from its cache.
    (req as unknown as { bodyCache: Record<string, unknown> }).bodyCache['arrayBuffer'] =
      bytes.then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    return bytes;
  }

  #observers: ResponseObservers | undefined;

  observeResponse(listener: ResponseObserver, options?: ObserveOptions): void {
    this.#observers ??= new ResponseObservers();
    this.#observers.add(listener, options);
  }

  /** Reports the application's answer (`undefined`: none) to the observers, once. */
  responded(response: Response | undefined): void {
    const observers = this.#observers;
    if (observers === undefined) return;
    this.#observers = undefined;
    if (response === undefined) {
      observers.report(undefined);
      return;
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const status = response.status;
    if (response.body === null) {
      observers.report({ status, headers, body: new Uint8Array(0), bodyLength: 0 });
      return;
    }
    response
      .clone()
      .arrayBuffer()
      .then(
        (body) =>
          observers.report({
            status,
            headers,
            body: new Uint8Array(body),
            bodyLength: body.byteLength,
          }),
        () => observers.report(undefined),
      );
  }

  sendStored(response: StoredResponse): void {
    const { body } = response;
    this.answer = new Response(body.byteLength === 0 ? null : body, {
      status: response.status,
      headers: response.headers,
    });
  }

  destroy(): void {
    this.#node?.outgoing?.destroy();
  }

  onClose(listener: () => void): void {
    const outgoing = this.#node?.outgoing;
    if (outgoing !== undefined) {
      outgoing.once('close', listener);
      return;
    }
    this.#closeListeners ??= [];
    this.#closeListeners.push(listener);
  }

  /** Off Node, "closed" is when the middleware chain has answered. */
  closed(): void {
    const listeners = this.#closeListeners;
    this.#closeListeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }
}
