/** UpstreamError: what really went wrong with an upstream call, kept as the 502/504's `cause` for logs. */

/** How an upstream call failed. */
export type UpstreamFailureKind =
  /** No answer within the timeout: the call was aborted (504). */
  | 'timeout'
  /** No connection could be made (refused, unknown host …) (502). */
  | 'unreachable'
  /** The connection broke: reset, closed mid-answer (502). */
  | 'connection-lost'
  /** The upstream answered with a status outside 2xx (502). */
  | 'error-status'
  /** A 2xx whose body is not the JSON expected (502). */
  | 'invalid-body'
  /** A body larger than `maxResponseBytes` (502). */
  | 'body-too-large';

/** What an {@link UpstreamError} is made of. */
export interface UpstreamErrorOptions {
  /** The upstream's name, as given to `callUpstream`. */
  upstream: string;
  /** How the call failed. */
  kind: UpstreamFailureKind;
  /** The upstream's status, when it answered. */
  status?: number;
  /** The start of the upstream's error body (at most 1024 characters), for logs. */
  body?: string;
  /** The system error code found in the failure (`ECONNRESET`, `UND_ERR_SOCKET` …). */
  systemCode?: string;
  /** The original failure. */
  cause?: unknown;
}

/**
 * The real failure of an upstream call. It never reaches the caller's body: it is the
 * `cause` of the 502/504 `ApiError` that `callUpstream` throws, for the logger.
 */
export class UpstreamError extends Error {
  override name = 'UpstreamError' as const;
  /** The upstream's name. */
  readonly upstream: string;
  /** How the call failed. */
  readonly kind: UpstreamFailureKind;
  /** The upstream's status, when it answered. */
  readonly status: number | undefined;
  /** The start of the upstream's error body, when it answered with an error status. */
  readonly body: string | undefined;
  /** The system error code, when the connection failed. */
  readonly systemCode: string | undefined;

  constructor(options: UpstreamErrorOptions) {
    const detail = options.status ?? options.systemCode;
    super(
      `upstream ${options.upstream}: ${options.kind}${detail === undefined ? '' : ` (${detail})`}`,
      {
        cause: options.cause,
      },
    );
    this.upstream = options.upstream;
    this.kind = options.kind;
    this.status = options.status;
    this.body = options.body;
    this.systemCode = options.systemCode;
  }
}
