/** The options of bearer authentication and authorization. */

import type { HeadersRecord } from '../request-ids/index.js';

/** The framework-neutral view of a request that hooks receive. */
export interface RequestInfo {
  /** The upper-case method. */
  method: string;
  /** The path, without the query string. */
  path: string;
  /** Lower-cased request headers. */
  headers: HeadersRecord;
}

/** Options of bearer-token authentication (401) and authorization (403). */
export interface AuthOptions {
  /**
   * Checks a bearer token and returns the principal it stands for, or `undefined`/`null`/
   * `false` to reject it (401, `error="invalid_token"`). Throwing an ApiError answers with it.
   */
  verify(token: string, request: RequestInfo): unknown | Promise<unknown>;
  /**
   * Whether the authenticated principal may perform the request; `false` answers 403.
   * @default every authenticated principal is allowed
   */
  authorize?(principal: unknown, request: RequestInfo): boolean | Promise<boolean>;
  /**
   * Requests that need no token (health checks, public routes).
   * @default none: every request is authenticated
   */
  skip?(request: RequestInfo): boolean;
  /**
   * The challenge realm; overrides the server's `realm`.
   * @default the server's `realm` option
   */
  realm?: string;
  /**
   * Whether RFC 6750 `error="invalid_request"` / `error="invalid_token"` parameters are added
   * to the challenge of a malformed or rejected token. A request without any token always
   * gets the bare documented `OAuth realm=…` (RFC 6750 §3.1).
   * @default true
   */
  errorDetail?: boolean;
}
