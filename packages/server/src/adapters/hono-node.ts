/** Hono on Node (@hono/node-server): the pipeline answers the request targets that never become a `Request`. */

import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import type { ApifaultOptions, ResolvedOptions } from '../options.js';
import { type AdapterParts, checkTarget, pipelineOf } from '../pipeline/index.js';
import { NodeExchange, splitTarget } from './node-exchange.js';

const HONO_NODE: AdapterParts<NodeExchange> = {};

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The `createServer` option of @hono/node-server's `serve`: a node:http server whose
 * requests with a target that is not a path (`OPTIONS *`, an absolute or invalid URL) are
 * answered by the path policy as on every adapter, the caller's ids echoed, before
 * @hono/node-server tries to build a `Request` of them. Other requests go to Hono.
 *
 * @example serve({ fetch: app.fetch, port: 8080, createServer: createNodeServer(options) })
 */
export function createNodeServer(
  options: ApifaultOptions | ResolvedOptions = {},
): (serverOptions: ServerOptions, listener: Listener) => Server {
  const pipeline = pipelineOf(options, HONO_NODE);
  return (serverOptions, listener) =>
    createServer(serverOptions, (req, res) => {
      const url = req.url ?? '';
      if (url.charCodeAt(0) !== 47 /* / */) {
        const exchange = new NodeExchange(req, res, splitTarget(url).path);
        try {
          checkTarget(exchange.path, pipeline.options.target);
        } catch (refusal) {
          pipeline.fail(exchange, refusal);
          return;
        }
      }
      listener(req, res);
    });
}
