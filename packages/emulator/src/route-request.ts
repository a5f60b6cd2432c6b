/** Resource routes on the server's Context: the request a handler sees, and its answer written in one go. */

import {
  type CustomerLookup,
  type HeadersRecord,
  JsonText,
  type ResourceRequest,
  type ResourceResponse,
} from './resources/context.js';
import type { Context } from './server-parts.js';
import type { Principal } from './tokens/tokens.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** A {@link ResourceRequest} over the server's Context; the query string is parsed on demand. */
export class RouteRequest implements ResourceRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Record<string, string>;
  readonly headers: HeadersRecord;
  /** An own property, not a method: handlers take it out of the request by destructuring. */
  readonly readBody: () => Promise<unknown>;
  readonly #ctx: Context;

  constructor(
    ctx: Context,
    readonly principal: Principal,
    readonly requestId: string | undefined,
    readonly customer: CustomerLookup | undefined,
    readBody: (ctx: Context) => Promise<unknown>,
  ) {
    this.method = ctx.method;
    this.path = ctx.path;
    this.params = ctx.params;
    this.headers = ctx.headers;
    this.readBody = () => readBody(ctx);
    this.#ctx = ctx;
  }

  /** Parsed on first use: most routes never read it. */
  get query(): URLSearchParams {
    return this.#ctx.query;
  }
}

/**
 * Writes a handler's answer the way the server's adapter answers a returned value (JSON, the
 * request ids, `undefined` as 204), with the handler's own headers in the same head, so the
 * head is built once.
 */
export function writeResult(ctx: Context, result: ResourceResponse): void {
  const res = ctx.res;
  if (res.headersSent || res.writableEnded) return;
  const extra = result.headers;
  if (result.body === undefined) {
    const head: Record<string, string> = {
      'ms-requestid': ctx.requestId,
      'ms-correlationid': ctx.correlationId,
    };
    // Assigned one by one: an object spread here cost more than the rest of the head.
    if (extra !== undefined) for (const name in extra) head[name] = extra[name] as string;
    res.writeHead(result.status === 200 ? 204 : result.status, head);
    res.end();
    return;
  }
  const text = result.body instanceof JsonText ? result.body.text : JSON.stringify(result.body);
  const head: Record<string, string> = {
    'content-type': JSON_TYPE,
    'ms-requestid': ctx.requestId,
    'ms-correlationid': ctx.correlationId,
  };
  if (extra !== undefined) for (const name in extra) head[name] = extra[name] as string;
  res.writeHead(result.status, head);
  res.end(text);
}
