/** Checks a rate limiter's configuration at creation, so mistakes fail at start-up, not under load. */

import { memoryStore } from './memory-store.js';
import type {
  RateLimiterOptions,
  RateLimitRequest,
  RateLimitStore,
  RateLimitWindow,
} from './types.js';

/** A window after validation: its name resolved. */
export interface CheckedWindow {
  readonly name: string;
  readonly limit: number;
  readonly windowSeconds: number;
}

/** A policy after validation. */
export interface CheckedPolicy<Req extends RateLimitRequest> {
  readonly name: string;
  readonly key: (req: Req) => string | undefined;
  /** The fixed cost, or undefined when `costOf` computes it per request. */
  readonly cost: number | undefined;
  readonly costOf: ((req: Req) => number) | undefined;
  readonly windows: readonly CheckedWindow[];
}

/** Options after validation. */
export interface CheckedOptions<Req extends RateLimitRequest> {
  readonly store: RateLimitStore;
  readonly policies: readonly CheckedPolicy<Req>[];
  readonly failure: 'open' | 'closed';
  readonly retryAfterOnFailure: number;
  readonly keyPrefix: string;
}

// Names travel in sf-strings and Redis keys: keep them to a safe, readable alphabet.
const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function requirePositiveInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(
      `createRateLimiter: ${field} must be a positive integer, got ${describe(value)}`,
    );
  }
  if (!isPositiveInteger(value)) {
    throw new RangeError(
      `createRateLimiter: ${field} must be a positive integer, got ${describe(value)}`,
    );
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return String(value);
}

function checkStore(store: unknown): RateLimitStore {
  if (store === 'memory') return memoryStore();
  if (typeof store === 'string') {
    throw new TypeError(
      `createRateLimiter: unknown store ${JSON.stringify(store)}; use 'memory', memoryStore(), redisStore({ client }) or await connectRedisStore({ url })`,
    );
  }
  const candidate = store as Partial<RateLimitStore> | null | undefined;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    typeof candidate.createCounter !== 'function' ||
    typeof candidate.close !== 'function'
  ) {
    throw new TypeError(
      `createRateLimiter: store must be 'memory' or a store made by memoryStore(), redisStore() or connectRedisStore(), got ${describe(store)}`,
    );
  }
  return candidate as RateLimitStore;
}

/** Validates `options`, throwing a TypeError or RangeError that names the faulty field. */
export function checkOptions<Req extends RateLimitRequest>(
  options: RateLimiterOptions<Req>,
): CheckedOptions<Req> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('createRateLimiter: options must be an object');
  }
  if (options.failure !== 'open' && options.failure !== 'closed') {
    throw new TypeError(
      `createRateLimiter: failure must be 'open' or 'closed', got ${describe(options.failure)}`,
    );
  }
  const retryAfterOnFailure =
    options.retryAfterOnFailure === undefined
      ? 5
      : requirePositiveInteger(options.retryAfterOnFailure, 'retryAfterOnFailure');
  const keyPrefix = options.keyPrefix ?? 'apifault-rl';
  if (typeof keyPrefix !== 'string' || keyPrefix === '') {
    throw new TypeError('createRateLimiter: keyPrefix must be a non-empty string');
  }
  if (options.logger !== undefined) {
    const logger = options.logger as Partial<RateLimiterOptions['logger'] & object> | null;
    if (
      logger === null ||
      typeof logger !== 'object' ||
      typeof logger.warn !== 'function' ||
      typeof logger.info !== 'function'
    ) {
      throw new TypeError('createRateLimiter: logger must have warn(obj, msg) and info(obj, msg)');
    }
  }
  if (!Array.isArray(options.policies) || options.policies.length === 0) {
    throw new TypeError('createRateLimiter: policies must be a non-empty array');
  }
  const policyNames = new Set<string>();
  const names = new Set<string>();
  const claim = (name: string, field: string): void => {
    if (names.has(name)) {
      throw new TypeError(`createRateLimiter: ${field} ${JSON.stringify(name)} is used twice`);
    }
    names.add(name);
  };
  const policies = options.policies.map((policy, p): CheckedPolicy<Req> => {
    const at = `policies[${p}]`;
    if (policy === null || typeof policy !== 'object') {
      throw new TypeError(`createRateLimiter: ${at} must be an object`);
    }
    if (typeof policy.name !== 'string' || !NAME.test(policy.name)) {
      throw new TypeError(
        `createRateLimiter: ${at}.name must start with a letter and hold only letters, digits, '_', '-', '.' (at most 64), got ${describe(policy.name)}`,
      );
    }
    if (policyNames.has(policy.name)) {
      throw new TypeError(
        `createRateLimiter: ${at}.name ${JSON.stringify(policy.name)} is used twice`,
      );
    }
    policyNames.add(policy.name);
    if (typeof policy.key !== 'function') {
      throw new TypeError(
        `createRateLimiter: ${at}.key must be a function (req) => string | undefined`,
      );
    }
    const given: readonly RateLimitWindow[] = policy.windows;
    if (!Array.isArray(given) || given.length === 0) {
      throw new TypeError(`createRateLimiter: ${at}.windows must be a non-empty array`);
    }
    const windows = given.map((window, w): CheckedWindow => {
      const wat = `${at}.windows[${w}]`;
      if (window === null || typeof window !== 'object') {
        throw new TypeError(`createRateLimiter: ${wat} must be an object`);
      }
      const limit = requirePositiveInteger(window.limit, `${wat}.limit`);
      const windowSeconds = requirePositiveInteger(window.windowSeconds, `${wat}.windowSeconds`);
      if (
        window.name !== undefined &&
        (typeof window.name !== 'string' || !NAME.test(window.name))
      ) {
        throw new TypeError(
          `createRateLimiter: ${wat}.name must start with a letter and hold only letters, digits, '_', '-', '.' (at most 64), got ${describe(window.name)}`,
        );
      }
      const name =
        window.name ?? (given.length === 1 ? policy.name : `${policy.name}-${windowSeconds}s`);
      return { name, limit, windowSeconds };
    });
    for (const [w, window] of windows.entries()) claim(window.name, `${at}.windows[${w}] name`);
    let cost: number | undefined;
    let costOf: ((req: Req) => number) | undefined;
    if (policy.cost === undefined) cost = 1;
    else if (typeof policy.cost === 'function') costOf = policy.cost;
    else cost = requirePositiveInteger(policy.cost, `${at}.cost`);
    if (cost !== undefined) {
      for (const [w, window] of windows.entries()) {
        if (cost > window.limit) {
          throw new RangeError(
            `createRateLimiter: ${at}.cost (${cost}) exceeds ${at}.windows[${w}].limit (${window.limit}); no request could ever pass`,
          );
        }
      }
    }
    return { name: policy.name, key: policy.key, cost, costOf, windows };
  });
  return {
    store: checkStore(options.store),
    policies,
    failure: options.failure,
    retryAfterOnFailure,
    keyPrefix,
  };
}
