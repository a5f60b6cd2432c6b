/** One JSON line per request: method, path, status, duration, request and correlation ids. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogSink } from './options.js';
import { sentHeader } from './response.js';

/** How long a line may wait before it is written, in ms. */
const FLUSH_AFTER_MS = 50;
/** How many buffered characters make the buffer be written at once. */
const FLUSH_AT_CHARS = 64 * 1024;

let pending = '';
let timer: NodeJS.Timeout | undefined;
let exitHooked = false;

/**
 * Writes the log lines the default sink still holds to stdout. Runs by itself 50 ms after
 * a line arrives and when the process exits; `Emulator.close()` calls it too.
 */
export function flushStdout(): void {
  if (timer !== undefined) {
    clearTimeout(timer);
    timer = undefined;
  }
  if (pending === '') return;
  const text = pending;
  pending = '';
  // stdout is synchronous for files, pipes and terminals on Linux, so this also holds in an
  // 'exit' listener.
  process.stdout.write(text);
}

/**
 * The default sink: stdout, in batches. A write per request (a system call each) cost more
 * than the request's logging itself; a line waits at most 50 ms, and none is lost on a
 * normal exit (`process.exit`, the end of the event loop, the CLI's SIGINT/SIGTERM).
 */
export const stdoutSink = (line: string): void => {
  pending += `${line}\n`;
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', flushStdout);
  }
  if (pending.length >= FLUSH_AT_CHARS) {
    flushStdout();
  } else if (timer === undefined) {
    timer = setTimeout(flushStdout, FLUSH_AFTER_MS);
    // The wait for a flush never keeps the process alive: the 'exit' listener writes.
    timer.unref();
  }
};

interface LogLine {
  time: string;
  method: string | undefined;
  path: string;
  status: number;
  durationMs: number;
  requestId: string | undefined;
  correlationId: string | undefined;
  aborted?: true;
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
    const line: LogLine = {
      time: new Date().toISOString(),
      method: req.method,
      path,
      status: res.headersSent ? res.statusCode : 0,
      durationMs: Math.round(durationMs * 1000) / 1000,
      requestId: sentHeader(res, 'ms-requestid'),
      correlationId: sentHeader(res, 'ms-correlationid'),
    };
    if (!res.writableFinished) line.aborted = true;
    sink(JSON.stringify(line));
  });
}
