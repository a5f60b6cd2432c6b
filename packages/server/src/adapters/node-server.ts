/** Contract answers for plain Node handlers and for what Node answers before any handler runs. */

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ApiError, getStatusInfo } from '@apifault/contract';
import { type ApifaultOptions, type ResolvedOptions, resolveOptions } from '../options.js';
import { type AdapterParts, pathOfTarget, pipelineOf } from '../pipeline/index.js';
import { errorParts, renderParts } from '../render/index.js';
import { isHeaderName, sanitizeHeaderValue } from '../request-ids/index.js';
import { idsOf, NodeExchange } from './node-exchange.js';

// sendError and withApifault answer with the pipeline's `fail` only.
const PLAIN: AdapterParts<NodeExchange> = {};

/**
 * Answers `err` on a plain Node `(req, res)` pair with the contract: for applications with
 * their own handlers. The ids already set on `res` (or the request's) are reused.
 *
 * @example http.createServer((req, res) => { try { … } catch (err) { sendError(req, res, err) } })
 */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  err: unknown,
  options: ApifaultOptions | ResolvedOptions = {},
): void {
  const exchange = new NodeExchange(req, res, pathOfTarget(req.url ?? '/'), idsOf(req, res));
  pipelineOf(options, PLAIN).fail(exchange, err);
}

/**
 * Wraps a plain `(req, res)` handler: sets `MS-RequestId`/`MS-CorrelationId` on the
 * response and answers anything it throws (or rejects with) with the contract.
 *
 * @example http.createServer(withApifault(async (req, res) => { … }, { source: 'billing' }))
 */
export function withApifault(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
  options: ApifaultOptions | ResolvedOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const pipeline = pipelineOf(options, PLAIN);
  return (req, res) => {
    const exchange = new NodeExchange(req, res, pathOfTarget(req.url ?? '/'));
    res.setHeader('ms-requestid', exchange.requestId);
    res.setHeader('ms-correlationid', exchange.correlationId);
    const fail = (error: unknown): void => pipeline.fail(exchange, error);
    try {
      const result = handler(req, res);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

/** The status of a `clientError`, from Node's parser error codes. */
function clientErrorStatus(code: unknown): number {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return 408;
    case 'HPE_HEADER_OVERFLOW':
      return 431;
    case 'HPE_INVALID_METHOD':
      // A method Node's parser has never heard of (BREW): not implemented, as routed ones are.
      return 501;
    default:
      return 400;
  }
}

/** Writes a contract error of `status` on a raw socket and closes it; returns its request id. */
function answerOnSocket(socket: Socket, status: number, resolved: ResolvedOptions): string {
  const rendered = renderParts(errorParts({ status }), { options: resolved });
  const headers: Record<string, string> = {};
  const extra = resolved.responseHeaders?.({}) ?? {};
  // The same headers as every other response; the rendered ones win a clash.
  for (const name in extra) {
    if (isHeaderName(name)) headers[name.toLowerCase()] = sanitizeHeaderValue(extra[name]);
  }
  Object.assign(headers, rendered.headers);
  let head = `HTTP/1.1 ${status} ${getStatusInfo(status).reason['en-US']}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  head += `content-length: ${Buffer.byteLength(rendered.json)}\r\nconnection: close\r\n\r\n`;
  socket.end(head + rendered.json);
  return rendered.headers['ms-requestid'] ?? '';
}

/**
 * Makes a Node server answer requests it cannot even parse (garbled request line, headers
 * too large, request or headers timeout) with a contract body written on the raw socket,
 * then closes it, instead of Node's bare text. It also answers what Node would otherwise
 * answer bare or drop before any handler runs, unless the server already listens for it: an
 * `Expect` other than `100-continue` (417) and a `CONNECT` request (501).
 *
 * @example installClientErrorHandler(server, { source: 'billing' })
 */
export function installClientErrorHandler(
  server: Server,
  options: ApifaultOptions | ResolvedOptions = {},
): void {
  const resolved = resolveOptions(options);
  server.on('clientError', clientErrorListener(resolved));
  answerBareRequests(server, resolved);
}

/**
 * Answers with the contract what Node answers bare or drops before any handler runs (an
 * unmet `Expect`, `CONNECT`), unless the server already listens for it. Used by
 * {@link installClientErrorHandler} and the Fastify plugin; not part of the package's API.
 */
export function answerBareRequests(server: Server, resolved: ResolvedOptions): void {
  if (server.listenerCount('checkExpectation') === 0) {
    server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
      sendError(
        req,
        res,
        new ApiError({ status: 417, headers: { Connection: 'close' } }),
        resolved,
      );
    });
  }
  if (server.listenerCount('connect') === 0) {
    // Without a listener Node destroys the socket silently: the client deserves an answer.
    server.on('connect', (_req: IncomingMessage, socket: Socket) => {
      answerOnSocket(socket, 501, resolved);
    });
  }
}

/**
 * The `clientError` listener of {@link installClientErrorHandler}, for servers that take it
 * as an option (Fastify's `clientErrorHandler`).
 *
 * @example Fastify({ clientErrorHandler: clientErrorListener({ source: 'billing' }) })
 */
export function clientErrorListener(
  options: ApifaultOptions | ResolvedOptions = {},
): (error: NodeJS.ErrnoException, socket: Socket) => void {
  const resolved = resolveOptions(options);
  return (error: NodeJS.ErrnoException, socket: Socket) => {
    const code = error.code;
    // The client left or the connection broke: there is no one to answer.
    if (code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    // A response already under way on this socket cannot be replaced.
    const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (started?.headersSent) {
      socket.destroy();
      return;
    }
    const status = clientErrorStatus(code);
    const requestId = answerOnSocket(socket, status, resolved);
    resolved.logger.warn({ err: error, status, requestId }, 'apifault: unparseable request');
  };
}
