/** One JSON line per request: method, path, status, duration, request and correlation ids. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogSink } from './options.js';

/** The default sink: stdout. */
export const stdoutSink = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function header(res: ServerResponse, name: string): string | undefined {
  const value = res.getHeader(name);
  return typeof value === 'string' ? value : undefined;
}

/** Logs `req` once its response is finished, or once the connection closes without one. */
export function logRequest(
  sink: LogSink,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): void {
  if (sink === false) return;
  const started = process.hrtime.bigint();
  res.once('close', () => {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    sink(
      JSON.stringify({
        time: new Date().toISOString(),
        method: req.method,
        path,
        status: res.headersSent ? res.statusCode : 0,
        durationMs: Math.round(durationMs * 1000) / 1000,
        requestId: header(res, 'ms-requestid'),
        correlationId: header(res, 'ms-correlationid'),
        ...(res.writableFinished ? {} : { aborted: true }),
      }),
    );
  });
}
