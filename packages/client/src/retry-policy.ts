/** The retry policy: which failures are retried, and how long to wait before the next attempt. */

import { parseRetryAfter } from '@apifault/contract';
import type { RetryOptions, RetryReason } from './options.js';

/** {@link RetryOptions} with every default filled in. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly deadlineMs: number;
  readonly retryAfterStatuses: ReadonlySet<number>;
  readonly backoffStatuses: ReadonlySet<number>;
  readonly idempotentMethods: ReadonlySet<string>;
  readonly random: () => number;
  readonly onRetry: RetryOptions['onRetry'];
}

/** The defaults of {@link RetryOptions}. */
export const RETRY_DEFAULTS = Object.freeze({
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  deadlineMs: 120_000,
  retryAfterStatuses: Object.freeze([429, 503]),
  backoffStatuses: Object.freeze([408, 500, 502, 504]),
  idempotentMethods: Object.freeze(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']),
});

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new RangeError(`retry.${name} must be a number >= 0, got ${String(value)}`);
  }
  return value;
}

/**
 * Fills in the defaults and checks the numbers.
 *
 * @throws RangeError on a negative or non-numeric value, or `attempts` below 1
 */
export function resolveRetryPolicy(options: RetryOptions = {}): RetryPolicy {
  const attempts = nonNegative('attempts', options.attempts, RETRY_DEFAULTS.attempts);
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`retry.attempts must be an integer >= 1, got ${String(attempts)}`);
  }
  return {
    attempts,
    baseDelayMs: nonNegative('baseDelayMs', options.baseDelayMs, RETRY_DEFAULTS.baseDelayMs),
    maxDelayMs: nonNegative('maxDelayMs', options.maxDelayMs, RETRY_DEFAULTS.maxDelayMs),
    maxRetryAfterMs: nonNegative(
      'maxRetryAfterMs',
      options.maxRetryAfterMs,
      RETRY_DEFAULTS.maxRetryAfterMs,
    ),
    deadlineMs: nonNegative('deadlineMs', options.deadlineMs, RETRY_DEFAULTS.deadlineMs),
    retryAfterStatuses: new Set(options.retryAfterStatuses ?? RETRY_DEFAULTS.retryAfterStatuses),
    backoffStatuses: new Set(options.backoffStatuses ?? RETRY_DEFAULTS.backoffStatuses),
    idempotentMethods: new Set(
      (options.idempotentMethods ?? RETRY_DEFAULTS.idempotentMethods).map((m) => m.toUpperCase()),
    ),
    random: options.random ?? Math.random,
    onRetry: options.onRetry,
  };
}

/**
 * The wait a response asks for, in ms: `retry-after-ms`, then `x-ms-retry-after-ms`, then
 * `Retry-After` (delay-seconds or an HTTP-date; a past date means 0). Undefined when none
 * is readable.
 */
export function readRetryAfter(headers: Headers, now: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = headers.get(name)?.trim();
    if (value && /^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value));
  }
  return parseRetryAfter(headers.get('retry-after'), now);
}

/**
 * Exponential backoff with full jitter: a random wait in [0, min(maxDelayMs,
 * baseDelayMs · 2^(attempt-1))].
 */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 1, 52));
  const r = policy.random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.floor(unit * ceiling);
}

/** What failed: a response status (with its wait, if any), or no response at all. */
export type Failure =
  | { kind: 'status'; status: number; retryAfterMs: number | undefined }
  | { kind: 'network-error' }
  | { kind: 'timeout' };

/** The policy's answer for one failed attempt. */
export type RetryDecision =
  | { retry: false }
  | { retry: true; delayMs: number; reason: RetryReason };

const NO_RETRY: RetryDecision = Object.freeze({ retry: false });

/**
 * Decides whether attempt `attempt` (from 1) is followed by another, and after how long.
 * The attempt cap is checked here; the deadline by the caller, which knows the clock.
 * The 401 credential refresh is not decided here.
 */
export function decideRetry(
  policy: RetryPolicy,
  failure: Failure,
  attempt: number,
  idempotent: boolean,
): RetryDecision {
  if (attempt >= policy.attempts) return NO_RETRY;
  if (failure.kind === 'status') {
    if (policy.retryAfterStatuses.has(failure.status)) {
      if (failure.retryAfterMs !== undefined) {
        return {
          retry: true,
          delayMs: Math.min(failure.retryAfterMs, policy.maxRetryAfterMs),
          reason: 'retry-after',
        };
      }
      return { retry: true, delayMs: backoffDelay(policy, attempt), reason: 'backoff' };
    }
    if (idempotent && policy.backoffStatuses.has(failure.status)) {
      return { retry: true, delayMs: backoffDelay(policy, attempt), reason: 'backoff' };
    }
    return NO_RETRY;
  }
  if (!idempotent) return NO_RETRY;
  return { retry: true, delayMs: backoffDelay(policy, attempt), reason: failure.kind };
}
