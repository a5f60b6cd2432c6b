/** The idempotency stage's vocabulary: what a request is recognised by, what is stored, and the store every backend implements. */

/** What makes two requests with one key the same request. */
export interface Fingerprint {
  /** The upper-case method. */
  readonly method: string;
  /** The path with its query string, as sent. */
  readonly path: string;
  /** The SHA-256 of the raw body bytes, lower-case hex. */
  readonly body: string;
}

/** A response as stored and replayed. */
export interface StoredResponse {
  /** The final status (2xx, 3xx, 4xx but 408 and 429). */
  readonly status: number;
  /** The end-to-end headers kept (lower-case names): Content-Type, Location, ETag … */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, byte for byte. */
  readonly body: Uint8Array;
}

/** What a completed key holds: the request it was first used for, and its answer. */
export interface IdempotencyRecord {
  readonly fingerprint: Fingerprint;
  readonly response: StoredResponse;
}

/** What {@link IdempotencyStore.claim} found. */
export type ClaimResult =
  /** The key was free: the caller runs the request, then completes or releases with `token`. */
  | { readonly kind: 'claimed'; readonly token: string }
  /** Another request with this key is running. */
  | { readonly kind: 'in-progress'; readonly fingerprint: Fingerprint }
  /** The key's request has completed: its answer, to replay. */
  | { readonly kind: 'completed'; readonly record: IdempotencyRecord };

/**
 * Where keys are claimed and answers kept. Every method is atomic for one `(scope, key)`:
 * of concurrent claims exactly one is `claimed`, across every process sharing the store.
 * Only the holder of a claim's `token` can complete or release it, so a claim whose lease
 * expired and was taken by another request cannot be overwritten by the late first one.
 */
export interface IdempotencyStore {
  /**
   * Claims `key` for a request with `fingerprint`, for `leaseMs` (after which a claim never
   * completed, a crashed process's, is free again).
   */
  claim(
    scope: string,
    key: string,
    fingerprint: Fingerprint,
    leaseMs: number,
  ): ClaimResult | Promise<ClaimResult>;
  /** Stores the answer of a claimed key, kept `ttlMs`. No-op unless `token` still holds it. */
  complete(
    scope: string,
    key: string,
    token: string,
    record: IdempotencyRecord,
    ttlMs: number,
  ): void | Promise<void>;
  /** Frees a claimed key (its answer is not kept): the next request with it runs. */
  release(scope: string, key: string, token: string): void | Promise<void>;
  /** Closes what the store opened. */
  close?(): void | Promise<void>;
}

/** What an adapter reports of the answer to a request: see the pipeline's response observers. */
export type { ObservedResponse } from '../pipeline/response-observers.js';

/** Options of the idempotency stage (the `idempotency` option of every adapter). */
export interface IdempotencyOptions {
  /**
   * Where keys and answers live: a store shared by every instance of the service
   * (`redisIdempotencyStore`), or one of your own.
   * @default memoryIdempotencyStore() per pipeline
   */
  store?: IdempotencyStore;
  /**
   * The methods whose `MS-RequestId` is an idempotency key.
   * @default ['POST', 'PATCH', 'PUT', 'DELETE']
   */
  methods?: readonly string[];
  /**
   * Whose keys these are: a key replays only to the same scope. Called after the auth stage.
   * @default the principal as a string (JSON for an object); '' without one
   * @example scope: (ex) => (ex.principal as { tenantId: string }).tenantId
   */
  scope?(exchange: import('../pipeline/exchange.js').Exchange): string;
  /** How long a completed answer is replayed, in ms. @default 86400000 (24 h) */
  ttlMs?: number;
  /**
   * How long a claim lasts without completing, in ms: a crashed process's key is free
   * again after it. Keep it above your longest request.
   * @default 60000
   */
  leaseMs?: number;
  /**
   * Headers of the answer stored and replayed, besides Content-Type, Content-Language,
   * Location, ETag and Last-Modified. Per-request headers (Date, the request ids) are the
   * replaying request's.
   * @default []
   */
  headers?: readonly string[];
  /**
   * When the store fails: `'open'` runs the request without idempotency (logged once per
   * outage), `'closed'` answers 503 with `Retry-After`.
   * @default 'open'
   */
  failure?: 'open' | 'closed';
  /** The `Retry-After` of the fail-closed 503, in seconds. @default 1 */
  retryAfterOnFailure?: number;
}
