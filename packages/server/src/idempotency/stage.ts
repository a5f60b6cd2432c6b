/**
 * The idempotency stage: an unsafe request's `MS-RequestId` claims its key before the
 * handler runs; a repeat replays the stored answer, waits (409 in progress) or is refused
 * (409, the key names another request), and the handler runs once per key.
 */

import { ApiError, badRequest, serviceUnavailable } from '@apifault/contract';
import type { Logger } from '../options.js';
import type { Exchange } from '../pipeline/exchange.js';
import { STOP, type Stage } from '../pipeline/stages.js';
import { StoreHealth } from '../rate-limit/store-health.js';
import { isSaneId } from '../request-ids/index.js';
import { bodyDigest } from './body-digest.js';
import { memoryIdempotencyStore } from './memory-store.js';
import type {
  ClaimResult,
  Fingerprint,
  IdempotencyOptions,
  IdempotencyStore,
  ObservedResponse,
  StoredResponse,
} from './types.js';

/** The header a replayed answer carries. */
export const REPLAYED_HEADER = 'idempotent-replayed';

/** The headers of an answer stored with it, besides those the application names. */
export const STORED_HEADERS = [
  'content-type',
  'content-language',
  'location',
  'etag',
  'last-modified',
] as const;

const DEFAULT_METHODS = ['POST', 'PATCH', 'PUT', 'DELETE'];

/** Whether an answer with `status` is stored: final answers, not the ones a retry may change. */
export function isStoredStatus(status: number): boolean {
  return status >= 200 && status < 500 && status !== 408 && status !== 429;
}

/** The scope of a request without a `scope` option: its principal, as a string. */
function principalScope(exchange: Exchange): string {
  const principal = exchange.principal;
  if (principal === undefined || principal === null) return '';
  return typeof principal === 'string' ? principal : JSON.stringify(principal);
}

/** The parts of `actual` that differ from the key's first request. */
export function fingerprintDiff(first: Fingerprint, actual: Fingerprint): string[] {
  const parts: string[] = [];
  if (first.method !== actual.method) parts.push('method');
  if (first.path !== actual.path) parts.push('path');
  if (first.body !== actual.body) parts.push('body');
  return parts;
}

/** The 409 of a key first used for another request: it neither runs nor replays. */
function keyReused(key: string, parts: string[]): ApiError {
  return new ApiError({
    status: 409,
    code: 'IdempotencyKeyReused',
    description: `MS-RequestId ${key} was already used for another request (its ${parts.join(', ')} differed); send a new MS-RequestId for a new request.`,
    data: parts,
  });
}

/** The 409 of a key whose first request is still running. */
function inProgress(key: string): ApiError {
  return new ApiError({
    status: 409,
    code: 'IdempotencyKeyInProgress',
    description: `A request with MS-RequestId ${key} is still in progress; retry later.`,
    headers: { 'Retry-After': '1' },
  });
}

/** The answer as stored: the status, the kept headers (lower-case names), its `body`. */
function storedOf(
  observed: ObservedResponse,
  body: Uint8Array,
  kept: readonly string[],
): StoredResponse {
  const headers: Record<string, string> = {};
  for (const name of kept) {
    const value = observed.headers[name];
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return { status: observed.status, headers, body };
}

/** What the stage needs of the pipeline's options. */
export interface IdempotencyStageContext {
  readonly logger: Logger;
  readonly bodyLimit: number;
  readonly bodyTimeoutMs: number;
}

/** Builds the stage of the `idempotency` option, placed after `rate-limit`. */
export function idempotencyStage(
  options: IdempotencyOptions,
  context: IdempotencyStageContext,
): Stage {
  const store: IdempotencyStore = options.store ?? memoryIdempotencyStore();
  const methods = new Set((options.methods ?? DEFAULT_METHODS).map((m) => m.toUpperCase()));
  const scopeOf = options.scope ?? principalScope;
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const failure = options.failure ?? 'open';
  const retryAfter = Math.max(1, Math.ceil(options.retryAfterOnFailure ?? 1));
  const kept = [
    ...new Set([...STORED_HEADERS, ...(options.headers ?? [])].map((h) => h.toLowerCase())),
  ];
  const { logger } = context;
  const health = new StoreHealth(logger, { failure }, 'idempotency store');

  /** Stores the answer, or frees the key when there is none to store. */
  function settle(scope: string, key: string, token: string, fingerprint: Fingerprint) {
    return (observed: ObservedResponse | undefined): void => {
      let done: void | Promise<void>;
      try {
        done =
          observed !== undefined && observed.body !== undefined && isStoredStatus(observed.status)
            ? store.complete(
                scope,
                key,
                token,
                { fingerprint, response: storedOf(observed, observed.body, kept) },
                ttlMs,
              )
            : store.release(scope, key, token);
      } catch (error) {
        done = Promise.reject(error);
      }
      // Any thenable a store returns is run and its failure logged (a query builder runs only
      // when its then is called).
      if (done !== undefined) {
        Promise.resolve(done).catch((err: unknown) =>
          // The claim's lease frees the key in the end.
          logger.warn({ err, key }, 'apifault: the idempotency key could not be settled'),
        );
      }
    };
  }

  function decide(
    ex: Exchange,
    key: string,
    scope: string,
    fingerprint: Fingerprint,
    claim: ClaimResult,
  ) {
    if (claim.kind === 'claimed') {
      ex.observeResponse(settle(scope, key, claim.token, fingerprint));
      return undefined;
    }
    const first = claim.kind === 'completed' ? claim.record.fingerprint : claim.fingerprint;
    const differs = fingerprintDiff(first, fingerprint);
    if (differs.length > 0) throw keyReused(key, differs);
    if (claim.kind === 'in-progress') throw inProgress(key);
    const { response } = claim.record;
    ex.sendStored({ ...response, headers: { ...response.headers, [REPLAYED_HEADER]: 'true' } });
    return STOP;
  }

  /**
   * Claims `key` with the request's fingerprint, once its body is read, and decides: run
   * (the answer observed, to store), replay, or refuse.
   */
  async function claimKey(ex: Exchange, key: string, scope: string) {
    const bytes = await ex.readBody(context.bodyLimit, context.bodyTimeoutMs);
    // The digest (on Node) and the claim (the memory store) are values, not promises, and are
    // not awaited: each await of a value costs the POST a promise and a turn of the queue. A
    // store's promise, or any thenable it returns, is awaited.
    const digest = bodyDigest(bytes);
    const fingerprint: Fingerprint = {
      method: ex.method,
      path: ex.target,
      body: typeof digest === 'string' ? digest : await digest,
    };
    const epoch = health.epoch;
    let claim: ClaimResult;
    try {
      const claimed = store.claim(scope, key, fingerprint, leaseMs);
      claim = 'kind' in claimed ? claimed : await claimed;
    } catch (error) {
      health.failed(epoch, error);
      if (failure === 'open') return undefined;
      throw serviceUnavailable({ retryAfter });
    }
    health.succeeded(epoch);
    return decide(ex, key, scope, fingerprint, claim);
  }

  return {
    name: 'idempotency',
    run(ex) {
      if (!methods.has(ex.method)) return undefined;
      const key = ex.headers['ms-requestid'];
      if (key === undefined) return undefined;
      if (!isSaneId(key)) {
        throw badRequest(
          'MS-RequestId, the idempotency key of this request, must be 1 to 128 characters among letters, digits and ._~:+=@/-.',
        );
      }
      return claimKey(ex, key, scopeOf(ex));
    },
  };
}
