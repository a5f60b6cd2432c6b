/** TimeoutError: an attempt that got no complete response in time. */

import { type FailedRequest, redactHeaders } from './failed-request.js';

const BRAND = Symbol.for('apifault.TimeoutError');

/**
 * An attempt that did not finish (headers and body) within its timeout, or that the
 * total deadline cut short. Idempotent requests retry it like a network error.
 */
export class TimeoutError extends Error {
  override name = 'TimeoutError' as const;
  /** The time the last attempt was allowed, in ms. */
  readonly timeoutMs: number;
  /** The request that timed out, `Authorization` redacted. */
  readonly request: FailedRequest;
  /** The `MS-RequestId` sent. */
  readonly requestId: string;
  /** The `MS-CorrelationId` sent. */
  readonly correlationId: string;

  constructor(timeoutMs: number, request: FailedRequest) {
    super(
      `Request timed out after ${timeoutMs} ms: ${request.method} ${request.url} (request ${request.requestId})`,
    );
    this.timeoutMs = timeoutMs;
    this.request = Object.freeze({
      ...request,
      headers: Object.freeze(redactHeaders(request.headers)),
    });
    this.requestId = request.requestId;
    this.correlationId = request.correlationId;
  }

  /** A plain object for structured logs; credential headers are redacted. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      timeoutMs: this.timeoutMs,
      requestId: this.requestId,
      correlationId: this.correlationId,
      request: { ...this.request, headers: redactHeaders(this.request.headers) },
    };
  }
}

Object.defineProperty(TimeoutError.prototype, BRAND, { value: true });

/** Whether `value` is a {@link TimeoutError}, from this or another copy of the package. */
export function isTimeoutError(value: unknown): value is TimeoutError {
  return (
    typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true
  );
}
