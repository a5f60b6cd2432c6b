/**
 * The rate limiter: counts each request against every window of every applicable policy and
 * admits it (with `RateLimit` headers) or throws 429, or 503 when the store is down and the
 * limiter fails closed.
 */

import { type ApiError, serviceUnavailable, tooManyRequests } from '@apifault/contract';
import {
  formatLimitItem,
  formatPolicyItem,
  RATE_LIMIT_HEADER,
  RATE_LIMIT_POLICY_HEADER,
} from './headers.js';
import { StoreHealth } from './store-health.js';
import type {
  RateLimitDecision,
  RateLimiter,
  RateLimiterOptions,
  RateLimitRequest,
  WindowCounter,
  WindowUsage,
} from './types.js';
import { type CheckedPolicy, type CheckedWindow, checkOptions } from './validate-options.js';

// A refund sent this close to the end of its window could land after the window rolled
// over and credit the next one; below this margin the refused points are left to expire.
const REFUND_MARGIN_MS = 250;

interface Slot {
  readonly window: CheckedWindow;
  readonly counter: WindowCounter;
  readonly policyItem: string;
}

interface Policy<Req extends RateLimitRequest> extends CheckedPolicy<Req> {
  readonly slots: readonly Slot[];
  readonly smallestLimit: number;
}

/** One window's part in one request: what was taken, and what the store answered. */
class Take {
  usage: WindowUsage | undefined = undefined;
  error: unknown = undefined;
  constructor(
    readonly slot: Slot,
    readonly key: string,
    readonly cost: number,
  ) {}

  get refused(): boolean {
    return this.usage !== undefined && this.usage.consumedPoints > this.slot.window.limit;
  }

  /**
   * Records what the store answered: rate-limiter-flexible resolves with the usage, and
   * rejects with the usage when over the limit, or with an Error when the store failed.
   */
  record(outcome: unknown): this {
    if (isUsage(outcome)) this.usage = outcome;
    else this.error = outcome ?? new Error('rate-limit store failed');
    return this;
  }
}

function isUsage(value: unknown): value is WindowUsage {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    typeof (value as WindowUsage).consumedPoints === 'number' &&
    typeof (value as WindowUsage).msBeforeNext === 'number'
  );
}

/** Takes from a store that answers at once; what it throws is an outcome, as a rejection is. */
function takeNow(counter: WindowCounter, key: string, cost: number): unknown {
  try {
    return counter.consumeNow!(key, cost);
  } catch (error) {
    return error;
  }
}

/** The takes of one request, gathered as the store answers each; decided when all are in. */
class Gathering {
  #left: number;
  constructor(
    readonly takes: readonly Take[],
    readonly epoch: number,
    private readonly decide: (
      takes: readonly Take[],
      epoch: number,
    ) => RateLimitDecision | Promise<never>,
    private readonly resolve: (decision: RateLimitDecision | Promise<never>) => void,
    private readonly reject: (reason: unknown) => void,
  ) {
    this.#left = takes.length;
  }

  /** Rejects the request, as Promise.all would, when a take's outcome cannot even be read. */
  failed(reason: unknown): void {
    this.reject(reason);
  }

  arrived(): void {
    if (--this.#left !== 0) return;
    try {
      this.resolve(this.decide(this.takes, this.epoch));
    } catch (error) {
      this.reject(error);
    }
  }
}

/**
 * The handler that records a take's outcome, used for both the fulfilment and the rejection:
 * one closure per take. Returned anonymous: under esbuild (tsx), a named function expression
 * created per request pays a `name` definition each time.
 */
function recorder(take: Take, gathering: Gathering): (outcome: unknown) => void {
  return (outcome) => {
    // The promise this handler returns is never awaited: nothing may escape it.
    try {
      take.record(outcome);
    } catch (error) {
      gathering.failed(error);
      return;
    }
    gathering.arrived();
  };
}

/**
 * Creates a rate limiter. Every policy whose `key` is defined for a request applies; the
 * request is admitted only when every window of every applicable policy admits it.
 *
 * A refused request costs nothing: the points it took in every window (including the
 * refusing one) are given back, so a throttled caller does not burn its hourly quota with
 * requests that were refused by the burst window, and a refused write does not block a read
 * that still fits. The refund follows the refusal, so under concurrency another request can
 * briefly see the refused points and be refused too (never admitted in excess): the count
 * never drops below the points of admitted requests, so at most `limit` points are admitted
 * per window; with one window and a cost of 1, exactly `limit` requests pass.
 *
 * @throws TypeError or RangeError naming the field when the configuration is invalid.
 * @example
 * const limiter = createRateLimiter({
 *   store: 'memory',
 *   failure: 'open',
 *   policies: [{ name: 'tenant', key: (req) => req.headers['x-tenant'] as string | undefined,
 *     windows: [{ limit: 100, windowSeconds: 10 }, { limit: 1000, windowSeconds: 3600 }] }],
 * });
 * const { headers } = await limiter.consume({ method: 'GET', path: '/v1/customers', headers: req.headers });
 */
export function createRateLimiter<Req extends RateLimitRequest = RateLimitRequest>(
  options: RateLimiterOptions<Req>,
): RateLimiter<Req> {
  const checked = checkOptions(options);
  const { store, failure, retryAfterOnFailure, keyPrefix } = checked;
  const policies: Policy<Req>[] = checked.policies.map((policy) => {
    const slots = policy.windows.map(
      (window): Slot => ({
        window,
        counter: store.createCounter({
          keyPrefix: `${keyPrefix}:${window.name}`,
          limit: window.limit,
          windowSeconds: window.windowSeconds,
        }),
        policyItem: formatPolicyItem(window.name, window.limit, window.windowSeconds),
      }),
    );
    const smallestLimit = Math.min(...policy.windows.map((window) => window.limit));
    return { ...policy, slots, smallestLimit };
  });
  const slotCount = policies.reduce((count, policy) => count + policy.slots.length, 0);
  const policyHeader = policies
    .flatMap((policy) => policy.slots.map((slot) => slot.policyItem))
    .join(', ');
  const health = new StoreHealth(options.logger, { store: store.kind, failure });

  function costOf(policy: Policy<Req>, req: Req): number {
    if (policy.cost !== undefined) return policy.cost;
    const cost = policy.costOf?.(req);
    if (typeof cost !== 'number' || !Number.isSafeInteger(cost) || cost <= 0) {
      throw new TypeError(
        `rate limit policy ${JSON.stringify(policy.name)}: cost(req) must return a positive integer, got ${String(cost)}`,
      );
    }
    if (cost > policy.smallestLimit) {
      throw new RangeError(
        `rate limit policy ${JSON.stringify(policy.name)}: cost(req) returned ${cost}, above the smallest window limit (${policy.smallestLimit}); no such request could ever pass`,
      );
    }
    return cost;
  }

  function policyHeaderOf(takes: readonly Take[]): string {
    if (takes.length === slotCount) return policyHeader;
    let value = '';
    for (const take of takes)
      value += value === '' ? take.slot.policyItem : `, ${take.slot.policyItem}`;
    return value;
  }

  function refund(take: Take): Promise<unknown> {
    return take.slot.counter.reward(take.key, take.cost).catch(() => undefined);
  }

  function admit(takes: readonly Take[]): RateLimitDecision {
    let limits = '';
    for (const take of takes) {
      const usage = take.usage!;
      const item = formatLimitItem(
        take.slot.window.name,
        take.slot.window.limit - usage.consumedPoints,
        usage.msBeforeNext,
      );
      limits = limits === '' ? item : `${limits}, ${item}`;
    }
    return {
      headers: { [RATE_LIMIT_POLICY_HEADER]: policyHeaderOf(takes), [RATE_LIMIT_HEADER]: limits },
    };
  }

  async function refuse(takes: readonly Take[]): Promise<never> {
    const refunds: Promise<unknown>[] = [];
    let waitMs = 0;
    let limits = '';
    for (const take of takes) {
      const usage = take.usage!;
      const refunded = usage.msBeforeNext > REFUND_MARGIN_MS;
      if (refunded) refunds.push(refund(take));
      if (take.refused && usage.msBeforeNext > waitMs) waitMs = usage.msBeforeNext;
      const counted = refunded ? usage.consumedPoints - take.cost : usage.consumedPoints;
      const item = formatLimitItem(
        take.slot.window.name,
        take.slot.window.limit - counted,
        usage.msBeforeNext,
      );
      limits = limits === '' ? item : `${limits}, ${item}`;
    }
    // Wait for the refunds so that the next request from this caller sees them.
    await Promise.all(refunds);
    throw tooManyRequests({
      retryAfter: waitMs / 1000,
      headers: { [RATE_LIMIT_POLICY_HEADER]: policyHeaderOf(takes), [RATE_LIMIT_HEADER]: limits },
    });
  }

  function storeFailed(takes: readonly Take[], error: unknown, epoch: number): RateLimitDecision {
    health.failed(epoch, error);
    // Failing open serves the request, so the windows that did answer keep its points.
    if (failure === 'open')
      return { headers: { [RATE_LIMIT_POLICY_HEADER]: policyHeaderOf(takes) } };
    // Failing closed refuses it: give back what they counted; nobody waits for it.
    for (const take of takes) if (take.usage !== undefined) void refund(take);
    const unavailable: ApiError = serviceUnavailable({
      retryAfter: retryAfterOnFailure,
      cause: error,
    });
    throw unavailable;
  }

  function decide(takes: readonly Take[], epoch: number): RateLimitDecision | Promise<never> {
    let refused = false;
    for (const take of takes) {
      if (take.error !== undefined) return storeFailed(takes, take.error, epoch);
      if (take.refused) refused = true;
    }
    health.succeeded(epoch);
    return refused ? refuse(takes) : admit(takes);
  }

  function keyOf(policy: Policy<Req>, req: Req): string | undefined {
    const key = policy.key(req);
    if (key === undefined || typeof key === 'string') return key;
    throw new TypeError(
      `rate limit policy ${JSON.stringify(policy.name)}: key(req) must return a string or undefined, got ${typeof key}`,
    );
  }

  // Not async: the store's promises, one `.then` on each and the request's own promise are
  // the only layers. Throws (from a key or cost function) become rejections in consumeAny.
  function consumeMany(req: Req): Promise<RateLimitDecision> {
    // Every key and cost first: a key function that throws must not leave points taken in
    // the windows of the policies before it.
    const keys: (string | undefined)[] = new Array(policies.length);
    const costs: number[] = new Array(policies.length);
    let applicable = 0;
    for (let i = 0; i < policies.length; i++) {
      const policy = policies[i]!;
      const key = keyOf(policy, req);
      keys[i] = key;
      if (key !== undefined) {
        costs[i] = costOf(policy, req);
        applicable++;
      }
    }
    if (applicable === 0) return Promise.resolve({ headers: {} });
    const epoch = health.epoch;
    const takes: Take[] = [];
    for (let i = 0; i < policies.length; i++) {
      const key = keys[i];
      if (key === undefined) continue;
      const cost = costs[i]!;
      for (const slot of policies[i]!.slots) takes.push(new Take(slot, key, cost));
    }
    // A countdown rather than Promise.all: one promise for the request, none per take
    // beyond the store's own and its `.then`.
    return new Promise((resolve, reject) => {
      const gathering = new Gathering(takes, epoch, decide, resolve, reject);
      for (const take of takes) {
        const record = recorder(take, gathering);
        const { counter } = take.slot;
        if (counter.consumeNow !== undefined) record(takeNow(counter, take.key, take.cost));
        else counter.consume(take.key, take.cost).then(record, record);
      }
    });
  }

  // The common configuration, one policy with one window, skips the bookkeeping of the
  // general path: it is the hot path the benchmark holds against the library alone, so
  // everything that does not change per request is looked up once here. On a store that
  // answers at once (memory), a request costs the store's own work and one settled promise;
  // on any other, one `.then` and one closure more.
  function singleWindow(policy: Policy<Req>, slot: Slot): (req: Req) => Promise<RateLimitDecision> {
    const { counter, policyItem } = slot;
    const { limit, name } = slot.window;
    const limitPrefix = `"${name}";r=`;
    const fixedCost = policy.cost;
    const keyFn = policy.key;
    const answersAtOnce = counter.consumeNow !== undefined;
    // The library resolves with the usage, or rejects with the usage when over the limit or
    // with an Error when the store failed; `consumeNow` returns the usage either way. Only an
    // admitting usage while the store is known to be up takes the short way; everything else
    // goes through `decide`, as in the general path.
    function settle(
      outcome: unknown,
      key: string,
      cost: number,
      epoch: number,
    ): RateLimitDecision | Promise<never> {
      // What counts as a usage is what `Take.record` counts as one, so that the short way
      // and `decide` never disagree on an odd answer from an application's store.
      const remaining = isUsage(outcome) ? limit - outcome.consumedPoints : -1;
      if (remaining >= 0 && !health.down) {
        const ms = (outcome as WindowUsage).msBeforeNext;
        return {
          headers: {
            'RateLimit-Policy': policyItem,
            RateLimit: `${limitPrefix}${remaining};t=${ms > 0 ? Math.ceil(ms / 1000) : 0}`,
          },
        };
      }
      return decide([new Take(slot, key, cost).record(outcome)], epoch);
    }
    // One handler for both outcomes (one closure per request, not two). Returned anonymous
    // on purpose: a named function expression created per request costs a `name` definition
    // per request when the source runs through esbuild.
    function settleFor(
      key: string,
      cost: number,
      epoch: number,
    ): (outcome: unknown) => RateLimitDecision | Promise<never> {
      return (outcome) => settle(outcome, key, cost, epoch);
    }
    return (req) => {
      let key: string | undefined;
      let cost: number;
      try {
        key = keyFn(req);
        if (typeof key !== 'string') key = keyOf(policy, req);
        if (key === undefined) return Promise.resolve({ headers: {} });
        cost = fixedCost ?? costOf(policy, req);
        if (answersAtOnce) {
          const decision = settle(takeNow(counter, key, cost), key, cost, health.epoch);
          return decision instanceof Promise ? decision : Promise.resolve(decision);
        }
      } catch (error) {
        return Promise.reject(error);
      }
      const settled = settleFor(key, cost, health.epoch);
      return counter.consume(key, cost).then(settled, settled);
    };
  }

  function consumeAny(req: Req): Promise<RateLimitDecision> {
    try {
      return consumeMany(req);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  const onlyPolicy = slotCount === 1 ? policies[0] : undefined;
  const onlySlot = onlyPolicy?.slots[0];
  const consume = onlyPolicy && onlySlot ? singleWindow(onlyPolicy, onlySlot) : consumeAny;

  return {
    consume,
    policyHeader,
    close: () => store.close(),
  };
}
