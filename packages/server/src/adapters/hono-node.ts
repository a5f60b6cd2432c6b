/** Hono on Node (@hono/node-server): the targets that never become a `Request`, and the heads it writes, held to the policy of every adapter. */

import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
  type RequestListener,
  type Server,
  type ServerOptions,
  ServerResponse,
} from 'node:http';
import type { ApifaultOptions, ResolvedOptions } from '../options.js';
import { type AdapterParts, checkTarget, pathOfTarget, pipelineOf } from '../pipeline/index.js';
import { guardBody, NodeExchange } from './node-exchange.js';

const HONO_NODE: AdapterParts<NodeExchange> = {};
const JSON_TYPE = 'application/json; charset=utf-8';

type Head = OutgoingHttpHeaders | OutgoingHttpHeader[];

/**
 * The response @hono/node-server writes, with the head every adapter sends: the headers the
 * exchange set (the ids, the application's `responseHeaders`) joined to the head in one
 * object, as the node:http adapter writes them, rather than through `setHeader`, whose map
 * Node then merges the head into; no content type on a 204 or 304 (@hono/node-server adds
 * `text/plain` to any head without one); JSON labelled with its charset (Hono's `c.json`
 * says `application/json`).
 */
class PolicyResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends ServerResponse<Request> {
  #head: Record<string, string> | undefined;

  /** Adds a header to the head this response will write; the head's own value wins a clash. */
  addToHead(name: string, value: string): void {
    this.#head ??= {};
    this.#head[name.toLowerCase()] = value;
  }

  override writeHead(status: number, reason?: string | Head, headers?: Head): this {
    let head = typeof reason === 'string' ? headers : reason;
    const added = this.#head;
    if (added !== undefined) {
      this.#head = undefined;
      if (head === undefined) head = added;
      else if (Array.isArray(head)) for (const name in added) this.setHeader(name, added[name]!);
      else for (const name in added) head[name] ??= added[name];
    }
    if (head !== undefined && !Array.isArray(head)) {
      if (status === 204 || status === 304) delete head['content-type'];
      else if (head['content-type'] === 'application/json') head['content-type'] = JSON_TYPE;
    }
    return typeof reason === 'string'
      ? super.writeHead(status, reason, head)
      : super.writeHead(status, head);
  }
}

/**
 * The `createServer` option of @hono/node-server's `serve`: a node:http server whose
 * requests with a target that is not a path (`OPTIONS *`, an absolute or invalid URL) are
 * answered by the path policy as on every adapter, the caller's ids echoed, before
 * @hono/node-server tries to build a `Request` of them; its success heads follow the same
 * policy as the other adapters' (see `PolicyResponse`).
 *
 * @example serve({ fetch: app.fetch, port: 8080, createServer: createNodeServer(options) })
 */
export function createNodeServer(
  options: ApifaultOptions | ResolvedOptions = {},
): typeof createServer {
  const pipeline = pipelineOf(options, HONO_NODE);
  const wrap =
    (listener: RequestListener | undefined): RequestListener =>
    (req, res) => {
      const url = req.url ?? '';
      guardBody(req, res, pipeline.options.bodyTimeoutMs);
      if (url.charCodeAt(0) !== 47 /* / */) {
        const exchange = new NodeExchange(req, res, pathOfTarget(url));
        try {
          checkTarget(exchange.path, pipeline.options.target);
        } catch (refusal) {
          pipeline.fail(exchange, refusal);
          return;
        }
      }
      listener?.(req, res);
    };
  function create(
    serverOptions?: ServerOptions | RequestListener,
    listener?: RequestListener,
  ): Server {
    const given = typeof serverOptions === 'function' ? undefined : serverOptions;
    const handler = typeof serverOptions === 'function' ? serverOptions : listener;
    return createServer({ ServerResponse: PolicyResponse, ...given }, wrap(handler));
  }
  return create as typeof createServer;
}
