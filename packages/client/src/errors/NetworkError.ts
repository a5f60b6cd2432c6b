/** NetworkError: the request or its response was lost on the way (refused, reset, cut off). */

import { type FailedRequest, redactHeaders } from './failed-request.js';

const BRAND = Symbol.for('apifault.NetworkError');

/** The text of an unknown thrown value, for the message. */
function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
    return cause.message + inner;
  }
  return String(cause);
}

/**
 * A connection that failed, or a response body cut off mid-way. `cause` holds what the
 * platform's `fetch` threw. Idempotent requests retry it with backoff.
 */
export class NetworkError extends Error {
  override name = 'NetworkError' as const;
  /** The request that failed, `Authorization` redacted. */
  readonly request: FailedRequest;
  /** The `MS-RequestId` sent. */
  readonly requestId: string;
  /** The `MS-CorrelationId` sent. */
  readonly correlationId: string;
  /** The status, when the response headers had arrived before the body was lost. */
  readonly status: number | undefined;

  constructor(cause: unknown, request: FailedRequest, status?: number) {
    super(
      `Network error on ${request.method} ${request.url}: ${describe(cause)} (request ${request.requestId})`,
      { cause },
    );
    this.request = Object.freeze({
      ...request,
      headers: Object.freeze(redactHeaders(request.headers)),
    });
    this.requestId = request.requestId;
    this.correlationId = request.correlationId;
    this.status = status;
  }

  /** A plain object for structured logs; credential headers are redacted. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      requestId: this.requestId,
      correlationId: this.correlationId,
      request: { ...this.request, headers: redactHeaders(this.request.headers) },
    };
  }
}

Object.defineProperty(NetworkError.prototype, BRAND, { value: true });

/** Whether `value` is a {@link NetworkError}, from this or another copy of the package. */
export function isNetworkError(value: unknown): value is NetworkError {
  return (
    typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true
  );
}
