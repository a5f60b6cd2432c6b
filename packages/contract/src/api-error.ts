/** ApiError: the error a server throws to answer with the contract. */

import { toDescription } from './description.js';
import type { ErrorBody } from './error-body.js';
import { DEFAULT_LOCALE, defaultDescription, type Locale } from './locales.js';
import { getStatusInfo, type StatusInfo } from './statuses.js';

const BRAND = Symbol.for('apifault.ApiError');
// Most errors carry no headers of their own: they share one frozen empty object, since
// copying `undefined` through a spread costs a runtime call per error.
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** What an {@link ApiError} is made of. */
export interface ApiErrorOptions {
  /** The HTTP status, 400–599. Anything else becomes 500. */
  status: number;
  /** The contract `code`. @default String(status) */
  code?: string | number | undefined;
  /** The description. @default the status's localized default description */
  description?: string | undefined;
  /** Error details. */
  data?: unknown[] | undefined;
  /** Where the error came from. @default the service's configured source */
  source?: string | undefined;
  /** Headers the response must carry (`WWW-Authenticate`, `Allow`, `Retry-After` …). */
  headers?: Record<string, string> | undefined;
  /** The underlying error, for logs only. */
  cause?: unknown;
  /**
   * Whether `description` and `data` may be shown to the caller.
   * @default true for 4xx, false for 5xx
   */
  expose?: boolean | undefined;
}

/** Options of {@link ApiError.toBody}. */
export interface ToBodyOptions {
  /** The locale of default descriptions. @default 'en-US' */
  locale?: Locale | undefined;
  /** The `source` used when the error has none. @default 'apifault' */
  source?: string | undefined;
}

/**
 * An error that answers with the contract: status, body and headers travel together, so
 * every framework's error path can send them. A 4xx ApiError carries no stack trace (it is an
 * answer, not a bug); a 5xx keeps its stack for the logs.
 *
 * @example throw new ApiError({ status: 404, code: '3000', description: 'Customer c1 was not found.' })
 */
export class ApiError extends Error {
  override name = 'ApiError' as const;
  /** The HTTP status. */
  readonly status: number;
  /** The contract `code`. */
  readonly code: string;
  /** The description given by the application, if any. */
  readonly description: string | undefined;
  /** Error details. */
  readonly data: unknown[] | undefined;
  /** Where the error came from, if set. */
  readonly source: string | undefined;
  /** Headers the response must carry. */
  readonly headers: Readonly<Record<string, string>>;
  /** Whether `description` and `data` may be shown to the caller. */
  readonly expose: boolean;

  constructor(options: ApiErrorOptions) {
    const status =
      Number.isInteger(options.status) && options.status >= 400 && options.status <= 599
        ? options.status
        : 500;
    const description = typeof options.description === 'string' ? options.description : undefined;
    // A 4xx is an answer, not a bug: capturing its stack trace was the largest single cost
    // of an error response. 5xx errors keep theirs for the logs.
    const stackTraceLimit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    // Only a real cause is attached: `{ cause: undefined }` would still create the property.
    super(
      description ?? defaultDescription(status),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    Error.stackTraceLimit = stackTraceLimit;
    this.status = status;
    this.code =
      options.code === undefined || options.code === null ? String(status) : String(options.code);
    this.description = description;
    this.data = Array.isArray(options.data) ? options.data : undefined;
    this.source = options.source;
    this.headers =
      options.headers === undefined ? NO_HEADERS : Object.freeze({ ...options.headers });
    this.expose = options.expose ?? status < 500;
  }

  /** The contract's metadata for this error's status. */
  get info(): StatusInfo {
    return getStatusInfo(this.status);
  }

  /**
   * The body to send: the application's description when it may be shown (else the
   * localized default), made valid by {@link toDescription}.
   */
  toBody(options: ToBodyOptions = {}): ErrorBody {
    const locale = options.locale ?? DEFAULT_LOCALE;
    const shown = this.expose ? this.description : undefined;
    const body: ErrorBody = {
      code: this.code,
      description: toDescription(shown, { status: this.status, locale }),
      source: this.source ?? options.source ?? 'apifault',
    };
    if (this.expose && this.data) body.data = this.data;
    return body;
  }
}

Object.defineProperty(ApiError.prototype, BRAND, { value: true });

/**
 * Whether `value` is an {@link ApiError}, including one made by another copy of
 * `@apifault/contract` (checked through a `Symbol.for` brand).
 */
export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true
  );
}
