/** ApiResponseError: a response with a non-2xx status, turned into the contract's shape. */

import type { Category, Deviation } from '@apifault/contract';
import { type FailedRequest, redactHeaders } from './failed-request.js';

const BRAND = Symbol.for('apifault.ApiResponseError');

/** What an {@link ApiResponseError} is made of. */
export interface ApiResponseErrorInit {
  status: number;
  code: string;
  description: string;
  data: unknown[] | undefined;
  source: string;
  category: Category;
  requestId: string;
  correlationId: string;
  cv: string | undefined;
  retryAfterMs: number | undefined;
  headers: Record<string, string>;
  bodyText: string;
  deviations: Deviation[];
  request: FailedRequest;
}

/** Collapses whitespace so the message stays on one line. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * A response whose status is not 2xx. Its body went through the contract's lenient
 * normalizer, so `code`, `description` and `source` are always strings, whatever the
 * service or a gateway sent.
 *
 * @example
 * try { await client.get('/v1/customers/x') }
 * catch (error) { if (isApiResponseError(error) && error.status === 404) ... }
 */
export class ApiResponseError extends Error {
  override name = 'ApiResponseError' as const;
  /** The HTTP status. */
  readonly status: number;
  /** The contract `code` (`"3000"`, `"429"` …), always a string. */
  readonly code: string;
  /** The description, never empty. */
  readonly description: string;
  /** Error details, when the service sent some. */
  readonly data: unknown[] | undefined;
  /** Where the error came from (`PartnerFD` …). */
  readonly source: string;
  /** The contract's category for the status (`NotFound`, `TooManyRequests` …). */
  readonly category: Category;
  /** The `MS-RequestId` the service answered with, else the one sent. */
  readonly requestId: string;
  /** The `MS-CorrelationId` the service answered with, else the one sent. */
  readonly correlationId: string;
  /** The `MS-CV` correlation vector, when the service sent one. */
  readonly cv: string | undefined;
  /** The wait the service asked for (`Retry-After` and its millisecond variants), in ms. */
  readonly retryAfterMs: number | undefined;
  /** The response headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The response body exactly as received (bounded by the normalizer). */
  readonly bodyText: string;
  /** What the normalizer repaired; empty when the body followed the contract. */
  readonly deviations: readonly Deviation[];
  /** The request that failed, `Authorization` redacted. */
  readonly request: FailedRequest;

  constructor(init: ApiResponseErrorInit) {
    super(`${init.status} ${init.code}: ${oneLine(init.description)} (request ${init.requestId})`);
    this.status = init.status;
    this.code = init.code;
    this.description = init.description;
    this.data = init.data;
    this.source = init.source;
    this.category = init.category;
    this.requestId = init.requestId;
    this.correlationId = init.correlationId;
    this.cv = init.cv;
    this.retryAfterMs = init.retryAfterMs;
    this.headers = Object.freeze({ ...init.headers });
    this.bodyText = init.bodyText;
    this.deviations = Object.freeze([...init.deviations]);
    this.request = Object.freeze({
      ...init.request,
      headers: Object.freeze(redactHeaders(init.request.headers)),
    });
  }

  /** A plain object for structured logs; credential headers are redacted. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      code: this.code,
      description: this.description,
      data: this.data,
      source: this.source,
      category: this.category,
      requestId: this.requestId,
      correlationId: this.correlationId,
      cv: this.cv,
      retryAfterMs: this.retryAfterMs,
      headers: redactHeaders(this.headers),
      bodyText: this.bodyText,
      deviations: this.deviations,
      request: { ...this.request, headers: redactHeaders(this.request.headers) },
    };
  }
}

Object.defineProperty(ApiResponseError.prototype, BRAND, { value: true });

/**
 * Whether `value` is an {@link ApiResponseError}, including one made by another copy of
 * `@apifault/client` (checked through a `Symbol.for` brand).
 */
export function isApiResponseError(value: unknown): value is ApiResponseError {
  return (
    typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true
  );
}
