/** Contract answers for plain Node handlers and for what Node answers before any handler runs. */

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ApiError, getStatusInfo } from '@apifault/contract';
import { type ApifaultOptions, type ResolvedOptions, resolveOptions } from '../options.js';
import {
  type AdapterParts,
  pathOfTarget,
  pipelineOf,
  TOO_MANY_HEADERS,
} from '../pipeline/index.js';
import { type ErrorParts, errorParts, type RenderedError, renderParts } from '../render/index.js';
import { type HeadersRecord, isHeaderName, sanitizeHeaderValue } from '../request-ids/index.js';
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

/** The error of a `clientError`, from Node's parser error codes. */
function clientErrorParts(code: unknown): ErrorParts {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return errorParts({ status: 408 });
    case 'HPE_HEADER_OVERFLOW':
      // The 431 of too many header fields, whether Node counted them or their bytes.
      return TOO_MANY_HEADERS;
    case 'HPE_INVALID_METHOD':
      // A method Node's parser has never heard of (BREW): not implemented, as routed ones are.
      return errorParts({ status: 501 });
    default:
      return errorParts({ status: 400 });
  }
}

/** A request line, as Node's parser reads it. */
const REQUEST_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ \S+ HTTP\/1\.[01]$/;

/**
 * The header fields Node's parser had read when it gave up on a request (its `rawPacket` up
 * to `bytesParsed`, whole lines only), when that packet starts with the request line: the
 * caller's ids and what `responseHeaders` reads. Otherwise (a timeout, a later packet) none.
 */
function headersRead(error: Error): HeadersRecord {
  const headers: Record<string, string> = {};
  const { rawPacket: packet, bytesParsed: parsed } = error as {
    rawPacket?: unknown;
    bytesParsed?: unknown;
  };
  if (!Buffer.isBuffer(packet) || typeof parsed !== 'number') return headers;
  const lines = packet.toString('latin1', 0, parsed).split('\r\n');
  if (!REQUEST_LINE.test(lines[0] ?? '')) return headers;
  // The last line may be cut where the parser stopped.
  for (const line of lines.slice(1, -1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    if (colon <= 0 || !isHeaderName(name)) break;
    headers[name] ??= line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * Writes the contract error of `parts` on a raw socket and closes it, with the ids of
 * `request` (the header fields read of it) when it has them; returns the rendered error.
 */
function answerOnSocket(
  socket: Socket,
  parts: ErrorParts,
  resolved: ResolvedOptions,
  request: HeadersRecord = {},
): RenderedError {
  const rendered = renderParts(parts, { options: resolved, headers: request });
  const status = rendered.status;
  const headers: Record<string, string> = {};
  const extra = resolved.responseHeaders?.(request) ?? {};
  // The same headers as every other response; the rendered ones win a clash.
  for (const name in extra) {
    if (isHeaderName(name)) headers[name.toLowerCase()] = sanitizeHeaderValue(extra[name]);
  }
  Object.assign(headers, rendered.headers);
  let head = `HTTP/1.1 ${status} ${getStatusInfo(status).reason['en-US']}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  head += `content-length: ${Buffer.byteLength(rendered.json)}\r\nconnection: close\r\n\r\n`;
  socket.end(head + rendered.json);
  return rendered;
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
      answerOnSocket(socket, errorParts({ status: 501 }), resolved);
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
    const { status, headers } = answerOnSocket(
      socket,
      clientErrorParts(code),
      resolved,
      headersRead(error),
    );
    const requestId = headers['ms-requestid'];
    resolved.logger.warn({ err: error, status, requestId }, 'apifault: unparseable request');
  };
}
