/** What every resource handler receives and returns, independent of the HTTP adapter. */

import type { ApiErrorOptions } from '@apifault/contract';
import type { CustomerRecord } from '../store/records.js';
import type { Principal } from '../tokens/tokens.js';

/** Headers as node:http gives them: lower-case names. */
export type HeadersRecord = Record<string, string | string[] | undefined>;

/** A customer read once for a request (by the authorization hook); `undefined` when unknown. */
export interface CustomerLookup {
  /** The id that was looked up. */
  readonly id: string;
  /** The customer, whatever its partner; `undefined` when there is none. */
  readonly customer: CustomerRecord | undefined;
}

/** One authenticated request, as a resource handler sees it. */
export interface ResourceRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** The path (no query). */
  path: string;
  /** Route parameters (`:customerId` …). */
  params: Record<string, string>;
  /** The query string. */
  query: URLSearchParams;
  /** Request headers. */
  headers: HeadersRecord;
  /** Who the bearer token speaks for. */
  principal: Principal;
  /** The `MS-RequestId` the caller sent (the idempotency key of creations), when sane. */
  requestId: string | undefined;
  /** The customer the authorization hook already read for this path, if it read one. */
  customer: CustomerLookup | undefined;
  /** Reads and parses the JSON body (400/408/413 from the server's body mechanism). */
  readBody(): Promise<unknown>;
}

/** A response body already serialised: written as is, where any other body is `JSON.stringify`-ed. */
export class JsonText {
  /** @param text the JSON text of the body */
  constructor(readonly text: string) {}
}

/** What a handler answers on success. */
export interface ResourceResponse {
  /** 200 or 201. */
  status: number;
  /** The JSON body, or its text as a {@link JsonText}. */
  body: unknown;
  /** Extra headers (`ETag`, `Location`). */
  headers?: Record<string, string>;
}

/**
 * An error a handler answers without building an `Error`: the options of the ApiError it
 * stands for, which the server renders exactly as that ApiError. V8 walks the stack for
 * every Error it creates, thrown or not; on the 404 of an unknown customer, the most
 * requested error, building one cost a tenth of the request.
 */
export class ErrorAnswer {
  /** @param error what `new ApiError(error)` would be built from */
  constructor(readonly error: ApiErrorOptions) {}
}

/**
 * A resource handler: answers a success, an {@link ErrorAnswer}, or throws an ApiError.
 * Handlers with nothing to wait for answer synchronously: an error thrown by an async
 * function rejects a promise before anyone listens to it, which Node tracks as a possibly
 * unhandled rejection. The hottest errors (an unknown customer) are returned as answers
 * rather than thrown: V8 also builds a message object with the source location for every
 * throw.
 */
export type ResourceHandler = (
  request: ResourceRequest,
) => ResourceResponse | ErrorAnswer | Promise<ResourceResponse>;

/** The simulated upstream commerce step that order creation and subscription updates go through. */
export type CommerceStep = (operation: 'createOrder' | 'updateSubscription') => Promise<void>;

/** The first value of a header. */
export function headerValue(headers: HeadersRecord, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
