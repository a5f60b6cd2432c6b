/**
 * The request log: each exchange becomes an entry object with a level (5xx and aborted
 * exchanges `error`, 4xx `warn`, the rest `info`), and a sink prints, as one JSON line, the
 * entries the configured level lets through. What is printed never limits what the
 * emulator records: the exchange feed (the dashboard's) sees every exchange at any level.
 */

import type { Context } from '@apifault/server';

/** Where request log lines go. */
export type LineSink = (line: string) => void;

/** The default sink: one line on stdout per entry. */
export const stdoutSink: LineSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** How much the request log prints, from nothing to every exchange with its details. */
export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;

/** A level of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The level when none is given: 5xx answers and aborted exchanges only. */
export const DEFAULT_LOG_LEVEL: LogLevel = 'error';

/** Whether `value` names a level. */
export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** One exchange as the log prints it. */
export interface RequestLogEntry {
  time: string;
  level: 'error' | 'warn' | 'info';
  method: string;
  path: string;
  /** The status answered; 0 when the connection closed before any answer. */
  status: number;
  durationMs: number;
  requestId: string;
  correlationId: string;
  aborted?: true;
  /** `debug` only: the request target as sent (path and query). */
  target?: string;
  /** `debug` only: the `User-Agent` sent. */
  userAgent?: string;
}

/** The level of an exchange: a failure the client sees is an error, its own mistake a warning. */
export function entryLevel(status: number, aborted: boolean): RequestLogEntry['level'] {
  if (aborted || status === 0 || status >= 500) return 'error';
  return status >= 400 ? 'warn' : 'info';
}

/** Whether `level` prints an entry of `entryLevel`. */
export function prints(level: LogLevel, entry: RequestLogEntry['level']): boolean {
  return LOG_LEVELS.indexOf(entry) <= LOG_LEVELS.indexOf(level);
}

/**
 * Logs the request of `ctx` once its response is finished, or once the connection closes
 * without one, when `level` prints an entry of its level.
 */
export function logRequest(sink: LineSink, level: LogLevel, ctx: Context): void {
  const started = process.hrtime.bigint();
  const res = ctx.res;
  res.once('close', () => {
    const status = res.headersSent ? res.statusCode : 0;
    const aborted = !res.writableFinished;
    const severity = entryLevel(status, aborted);
    if (!prints(level, severity)) return;
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    const entry: RequestLogEntry = {
      time: new Date().toISOString(),
      level: severity,
      method: ctx.method,
      path: ctx.path,
      status,
      durationMs: Math.round(durationMs * 1000) / 1000,
      requestId: ctx.requestId,
      correlationId: ctx.correlationId,
    };
    if (aborted) entry.aborted = true;
    if (level === 'debug') {
      entry.target = ctx.req.url ?? ctx.path;
      const agent = ctx.req.headers['user-agent'];
      if (agent !== undefined) entry.userAgent = agent;
    }
    sink(JSON.stringify(entry));
  });
}
