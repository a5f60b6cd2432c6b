/**
 * The purchase walk with one fault on the first request of one step, through
 * `@apifault/client` on a clock where its waits pass at once, and the checks every such walk
 * must pass: it completes after exactly one retry, waits what the fault asked, and buys one
 * order, one subscription and one cart, billed once on the invoice it pages through.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type AttemptContext,
  type Clock,
  createClient,
  isApiResponseError,
  type RetryEvent,
} from '@apifault/client';
import { parseFaultRule, SEED_CUSTOMERS, type StartOptions } from '@apifault/emulator';
import { startTestEmulator, type TestEmulator } from './emulator.js';
import { purchases, purchaseWalk } from './purchase-walk.js';

/** One step of the walk: the request it makes, as a fault rule's METHOD PATH. */
export interface Step {
  method: string;
  path: string;
  /** The step calls the commerce upstream. */
  commerce?: true;
}

/** Every request the walk makes, in its order. */
export const STEPS: readonly Step[] = [
  { method: 'GET', path: '/v1/products' },
  { method: 'GET', path: '/v1/products/*/skus' },
  { method: 'GET', path: '/v1/products/*/skus/*/availabilities' },
  { method: 'POST', path: '/v1/customers/*/carts' },
  { method: 'PUT', path: '/v1/customers/*/carts/*' },
  { method: 'POST', path: '/v1/customers/*/carts/*/checkout', commerce: true },
  { method: 'GET', path: '/v1/customers/*/orders/*' },
  { method: 'GET', path: '/v1/customers/*/orders/*/provisioningstatus' },
  { method: 'GET', path: '/v1/customers/*/subscriptions/*' },
  { method: 'PATCH', path: '/v1/customers/*/subscriptions/*', commerce: true },
  { method: 'GET', path: '/v1/invoices' },
  { method: 'GET', path: '/v1/invoices/*' },
  { method: 'GET', path: '/v1/invoices/*/lineitems' },
  { method: 'GET', path: '/v1/invoices/*/lineitems/*/*' },
];

/**
 * The faults: a 429 from a fault rule (in Partner Center's wire shape), maintenance mode's
 * 503, a connection the emulator drops before answering, an answer lost on the way back
 * (the emulator did the work), and the commerce upstream's 502 and timeout (504).
 */
export type FaultKind =
  | '429'
  | '503 maintenance'
  | 'drop'
  | 'answer lost'
  | 'commerce 502'
  | 'commerce 504';

/** Retry-After of the injected 429 and of maintenance, in seconds. */
const THROTTLED_SECONDS = 7;
const MAINTENANCE_SECONDS = 3;
/** The client's first backoff: baseDelayMs 500 × random 0.5. */
const BACKOFF_MS = 250;

/** What the client waits before its one retry, by fault. */
const EXPECTED_WAIT: Record<FaultKind, number> = {
  '429': THROTTLED_SECONDS * 1000,
  '503 maintenance': MAINTENANCE_SECONDS * 1000,
  drop: BACKOFF_MS,
  'answer lost': BACKOFF_MS,
  'commerce 502': BACKOFF_MS,
  'commerce 504': BACKOFF_MS,
};

/** Line items each subscription puts on an invoice, and the page size: always several pages. */
export const WALK_BILLING = { linesPerSubscription: 1 };
const PAGE_SIZE = 4;

/** The faults of `kinds` that apply to each step, as [step, fault] pairs. */
export function faultCases(kinds: readonly FaultKind[]): [Step, FaultKind][] {
  const cases: [Step, FaultKind][] = [];
  for (const step of STEPS) {
    for (const kind of kinds) {
      if (kind.startsWith('commerce') && !step.commerce) continue;
      // A lost answer matters where the request changed something.
      if (kind === 'answer lost' && step.method === 'GET') continue;
      cases.push([step, kind]);
    }
  }
  return cases;
}

function matches(step: Step, method: string, path: string): boolean {
  return step.method === method && new RegExp(`^${step.path.replace(/\*/g, '[^/]+')}$`).test(path);
}

/** A clock on which the client's waits pass at once; it records each one. */
class SkippingClock implements Clock {
  #now = Date.now();
  readonly waits: number[] = [];
  now(): number {
    return this.#now;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    this.waits.push(ms);
    this.#now += ms;
    return setImmediate(callback);
  }
  clearTimeout(handle: unknown): void {
    clearImmediate(handle as NodeJS.Immediate);
  }
}

function carts(emu: TestEmulator): number {
  const row = emu.emulator.store.db.prepare('SELECT count(*) AS n FROM carts').get();
  return (row as { n: number }).n;
}

/** The rule `kind` installs on the step's first request (maintenance and a lost answer have none). */
function ruleOf(step: Step, kind: FaultKind): string | undefined {
  switch (kind) {
    case '429':
      return `${step.method} ${step.path}=429,first=1,retryAfter=${THROTTLED_SECONDS}`;
    case 'drop':
      return `${step.method} ${step.path}=drop,first=1`;
    case 'commerce 502':
      return 'commerce=502,first=1';
    case 'commerce 504':
      return 'commerce=timeout,first=1';
    default:
      return undefined;
  }
}

/**
 * Walks with `kind` on the first request of `step` and checks the outcome. `emu` must be
 * started with `billing: WALK_BILLING`, a short `commerceTimeoutMs`, no rate limit, and a
 * clock that `advance` moves.
 */
export async function checkFaultedWalk(
  emu: TestEmulator,
  token: string,
  advance: (ms: number) => void,
  step: Step,
  kind: FaultKind,
): Promise<void> {
  const { faults, maintenance } = emu.emulator;
  const clock = new SkippingClock();
  const retries: RetryEvent[] = [];
  const replayed: string[] = [];
  let hit = false;
  let lose = false;
  const isTarget = (ctx: AttemptContext) =>
    !hit && ctx.attempt === 1 && matches(step, ctx.method, ctx.url.pathname);
  const client = createClient({
    baseUrl: emu.url,
    credential: () => token,
    clock,
    // The waits are the retry policy's alone: no per-attempt timer on the fake clock.
    timeout: Number.POSITIVE_INFINITY,
    retry: {
      random: () => 0.5,
      deadlineMs: Number.POSITIVE_INFINITY,
      onRetry: (event) => {
        retries.push(event);
      },
    },
    // A lost answer: the emulator answers, the connection goes before the client reads it.
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (!lose) return response;
      lose = false;
      await response.arrayBuffer();
      throw new TypeError('fetch failed', { cause: new Error('other side closed') });
    },
    hooks: {
      beforeRequest: [
        (ctx) => {
          const target = isTarget(ctx);
          if (target) hit = true;
          maintenance.state = {
            enabled: target && kind === '503 maintenance',
            retryAfter: MAINTENANCE_SECONDS,
          };
          if (!target) return;
          const rule = ruleOf(step, kind);
          if (rule) faults.replace([parseFaultRule(rule)]);
          lose = kind === 'answer lost';
        },
      ],
      afterResponse: [
        (ctx, response) => {
          if (response.headers.get('idempotent-replayed') === 'true') {
            replayed.push(ctx.url.pathname);
          }
        },
      ],
    },
  });

  const before = { ...purchases(emu.emulator), carts: carts(emu) };
  let fired: number;
  let walk: Awaited<ReturnType<typeof purchaseWalk>>;
  try {
    walk = await purchaseWalk(client, {
      customerId: SEED_CUSTOMERS.litware,
      betweenPolls: () => advance(2000),
      pageSize: PAGE_SIZE,
    });
    fired = faults.list().reduce((sum, entry) => sum + entry.fired, 0);
  } finally {
    faults.clear();
    maintenance.state = { enabled: false, retryAfter: MAINTENANCE_SECONDS };
  }

  assert.ok(hit, 'the walk made the step');
  assert.deepEqual(
    { ...purchases(emu.emulator), carts: carts(emu) },
    { orders: before.orders + 1, subscriptions: before.subscriptions + 1, carts: before.carts + 1 },
    'one order, one subscription, one cart',
  );
  assert.equal(retries.length, 1, 'one failed attempt, retried once');
  assert.deepEqual(clock.waits, [EXPECTED_WAIT[kind]]);
  const { error, reason } = retries[0] as RetryEvent;
  if (kind === 'drop' || kind === 'answer lost') {
    assert.equal(reason, 'network-error');
  } else {
    assert.ok(isApiResponseError(error));
    const status = { '429': 429, '503 maintenance': 503, 'commerce 502': 502 }[kind as string];
    assert.equal(error.status, status ?? 504);
    if (kind === '429') {
      assert.equal(
        error.description,
        `Rate limit is exceeded. Try again in ${THROTTLED_SECONDS} seconds.`,
      );
    }
  }
  assert.equal(fired, ruleOf(step, kind) === undefined ? 0 : 1, 'the rule fired once');
  // The emulator had answered: the retry, with the same MS-RequestId, is its replay.
  if (kind === 'answer lost') {
    assert.equal(replayed.length, 1, 'the retry was replayed');
    assert.ok(matches(step, step.method, replayed[0] as string));
  } else {
    assert.deepEqual(replayed, []);
  }
  // The purchase is billed once: its line items, each once, on the invoice paged through.
  const { lineItems, pages } = walk.invoice;
  const bought = lineItems.filter((item) => item.subscriptionId === walk.subscriptionId);
  assert.equal(bought.length, WALK_BILLING.linesPerSubscription);
  assert.equal(new Set(lineItems.map((item) => item.referenceId)).size, lineItems.length);
  assert.ok(pages > 1, 'paged by continuation');
}

/**
 * A suite that walks the purchase once per step and fault kind of `kinds`, each on the same
 * emulator (a file database, its clock moved by the walk's waits) started with `options`.
 * `outcome` ends each test's title.
 */
export function describeFaultedWalks(
  title: string,
  kinds: readonly FaultKind[],
  outcome: string,
  options: StartOptions = {},
): void {
  let emu: TestEmulator;
  let token: string;
  let clock = Date.now();
  before(async () => {
    emu = await startTestEmulator({
      now: () => new Date(clock),
      provisioningDelayMs: 5000,
      rateLimit: false,
      billing: WALK_BILLING,
      ...options,
    });
    token = await emu.token();
  });
  after(() => emu.close());

  describe(title, () => {
    for (const [step, kind] of faultCases(kinds)) {
      it(`${kind} on ${step.method} ${step.path}: ${outcome}`, () =>
        checkFaultedWalk(
          emu,
          token,
          (ms) => {
            clock += ms;
          },
          step,
          kind,
        ));
    }
  });
}
