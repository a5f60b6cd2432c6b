/** One JSON line per request: method, path, status, duration, request and correlation ids. */

import type { Context } from '@apifault/server';

/** Where request log lines go. */
export type LineSink = (line: string) => void;

/** The default sink: one line on stdout per request. */
export const stdoutSink: LineSink = (line) => {
  process.stdout.write(`${line}\n`);
};

interface LogLine {
  time: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  requestId: string;
  correlationId: string;
  aborted?: true;
}

/** Logs the request of `ctx` once its response is finished, or once the connection closes without one. */
export function logRequest(sink: LineSink, ctx: Context): void {
  const started = process.hrtime.bigint();
  const res = ctx.res;
  res.once('close', () => {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    const line: LogLine = {
      time: new Date().toISOString(),
      method: ctx.method,
      path: ctx.path,
      status: res.headersSent ? res.statusCode : 0,
      durationMs: Math.round(durationMs * 1000) / 1000,
      requestId: ctx.requestId,
      correlationId: ctx.correlationId,
    };
    if (!res.writableFinished) line.aborted = true;
    sink(JSON.stringify(line));
  });
}
