/** Writing contract responses on a Node `ServerResponse` (shared by the node:http and Express adapters). */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApifaultOptions, type ResolvedOptions, resolveOptions } from '../options.js';
import { type RenderedError, renderError } from '../render/index.js';
import { echoOrGenerateId } from '../request-ids/index.js';

/** Writes a rendered error, or ends the connection if a response has already started. */
export function writeRendered(
  res: ServerResponse,
  rendered: RenderedError,
  options: ResolvedOptions,
): void {
  if (res.headersSent || res.writableEnded) {
    abortStarted(res, rendered, options);
    return;
  }
  try {
    res.writeHead(rendered.status, rendered.headers);
    res.end(rendered.json);
  } catch (err) {
    options.logger.error(
      { err, requestId: rendered.headers['ms-requestid'] },
      'apifault: the error response could not be written',
    );
    res.destroy();
  }
}

function abortStarted(
  res: ServerResponse,
  rendered: RenderedError,
  options: ResolvedOptions,
): void {
  // A second response is impossible: cut the connection so the client sees an incomplete body
  // rather than a truncated one that looks whole.
  options.logger.error(
    {
      status: rendered.status,
      requestId: rendered.headers['ms-requestid'],
      correlationId: rendered.headers['ms-correlationid'],
    },
    'apifault: error after the response started; connection closed',
  );
  if (!res.destroyed) res.destroy();
}

function idOf(res: ServerResponse, req: IncomingMessage, name: string): string {
  const set = res.getHeader(name);
  return typeof set === 'string' ? set : echoOrGenerateId(req.headers[name]);
}

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
  const resolved = resolveOptions(options);
  const rendered = renderError(err, {
    options: resolved,
    headers: req.headers,
    requestId: idOf(res, req, 'ms-requestid'),
    correlationId: idOf(res, req, 'ms-correlationid'),
    ...(req.method === undefined ? {} : { method: req.method }),
    ...(req.url === undefined ? {} : { path: req.url.split('?', 1)[0]! }),
  });
  writeRendered(res, rendered, resolved);
}
