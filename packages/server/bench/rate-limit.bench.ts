/**
 * Decisions per second through the rate limiter against rate-limiter-flexible called directly
 * with the same configuration, on the memory store and on a real redis-server, in one run.
 * Both sides of a row are alike in everything but the limiter: the same points and duration,
 * the same key function and keys of the same shape and length in the store, the same number
 * of decisions in flight, the same rounds in alternating order.
 * Run directly: `npx tsc -b && node --import tsx bench/rate-limit.bench.ts [--quick]`.
 */

import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import {
  createRateLimiter,
  memoryStore,
  type RateLimitRequest,
  type RateLimitStore,
  redisClientOptions,
  redisStore,
} from '@apifault/server';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import type { BenchRow } from '../../../scripts/bench.js';
import { redisServerInstalled, startRedis } from '../test/helpers/redis-server.js';

/** The goal: at least 0.9 of the library called directly. */
const GOAL = 0.9;

// Admitted requests spread over many tenants: the common case a limiter sees.
const TENANTS = Array.from({ length: 64 }, (_, i) => `tenant-${i}`);
const REQUESTS: RateLimitRequest[] = TENANTS.map((tenant) => ({
  method: 'GET',
  path: '/v1/customers',
  headers: { 'x-tenant': tenant },
}));
// Large enough that nothing is refused during the run, small enough to stay a small integer.
const LIMIT = 1_000_000_000;
const WINDOW_SECONDS = 3600;
// The limiter names its single window after the policy and stores `${prefix}:${window}:${key}`;
// the library alone stores `${keyPrefix}:${key}`. The peers get `${prefix}:${POLICY}` as their
// keyPrefix so that both maps (or both Redis keyspaces) hold keys of the same length: the
// store hashes the whole key on every call, so a longer key alone costs measurably.
const POLICY = 'tenant';

function tenantOf(req: RateLimitRequest): string | undefined {
  const tenant = req.headers['x-tenant'];
  return typeof tenant === 'string' ? tenant : undefined;
}

/** Runs `total` calls of `decide`, `batch` at a time; returns calls per second. */
async function measure(
  decide: (i: number) => Promise<unknown>,
  total: number,
  batch: number,
): Promise<number> {
  const pending: Promise<unknown>[] = new Array(batch);
  const start = process.hrtime.bigint();
  for (let done = 0; done < total; done += batch) {
    for (let j = 0; j < batch; j++) pending[j] = decide(done + j);
    await Promise.all(pending);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return total / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Measures the two sides back to back in every round, so that the load of a shared machine
 * hits both sides of a pair alike; returns each side's median rate and the median of the
 * per-round ratios (steadier than the ratio of the medians when the load drifts).
 */
export async function compare(
  ours: (i: number) => Promise<unknown>,
  peer: (i: number) => Promise<unknown>,
  options: { total: number; batch: number; rounds: number },
): Promise<[number, number, number]> {
  // Warm-up: let both sides reach optimised code before measuring.
  await measure(ours, options.total / 4, options.batch);
  await measure(peer, options.total / 4, options.batch);
  const oursRates: number[] = [];
  const peerRates: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    // Which side goes first alternates, so neither always inherits the other's garbage.
    if (round % 2 === 0) {
      oursRates.push(await measure(ours, options.total, options.batch));
      peerRates.push(await measure(peer, options.total, options.batch));
    } else {
      peerRates.push(await measure(peer, options.total, options.batch));
      oursRates.push(await measure(ours, options.total, options.batch));
    }
    ratios.push(oursRates[round]! / peerRates[round]!);
  }
  return [median(oursRates), median(peerRates), median(ratios)];
}

function row(
  name: string,
  peer: string,
  [value, peerValue, ratio]: [number, number, number],
): BenchRow {
  return {
    name,
    value: Math.round(value),
    unit: 'decisions/s',
    peer,
    peerValue: Math.round(peerValue),
    ratio: Math.round(ratio * 100) / 100,
    goal: `>= ${GOAL.toFixed(2)}`,
    pass: ratio >= GOAL,
  };
}

/** The limiter and the library configured alike: one policy, one window, keyed by tenant. */
function limiterOn(store: RateLimitStore, keyPrefix: string) {
  return createRateLimiter({
    store,
    failure: 'open',
    keyPrefix,
    policies: [
      { name: POLICY, key: tenantOf, windows: [{ limit: LIMIT, windowSeconds: WINDOW_SECONDS }] },
    ],
  });
}

// Constant, so written once, as the limiter does.
const POLICY_FIELD = `"${POLICY}";q=${LIMIT};w=${WINDOW_SECONDS}`;

/**
 * What an application gets from the library alone when it sends the same headers: the
 * consume, then the RateLimit fields written by hand.
 */
function withHeaders(res: RateLimiterRes): { headers: Record<string, string> } {
  return {
    headers: {
      'RateLimit-Policy': POLICY_FIELD,
      RateLimit: `"${POLICY}";r=${res.remainingPoints};t=${Math.ceil(res.msBeforeNext / 1000)}`,
    },
  };
}

/** Runs the benchmark; `quick` keeps it to a few seconds. */
export async function run({ quick = false }: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const pick = (i: number): RateLimitRequest => REQUESTS[i % REQUESTS.length]!;

  // A memory round takes a few tens of milliseconds: many short rounds give a steadier median
  // on a busy machine than a few long ones, at the same cost.
  const memoryRounds = { total: quick ? 40_000 : 100_000, batch: 100, rounds: quick ? 15 : 41 };
  const limiter = limiterOn(memoryStore(), 'bench-mem-ours');
  const library = new RateLimiterMemory({
    points: LIMIT,
    duration: WINDOW_SECONDS,
    keyPrefix: `bench-mem-peer:${POLICY}`,
  });
  const libraryWithHeaders = new RateLimiterMemory({
    points: LIMIT,
    duration: WINDOW_SECONDS,
    keyPrefix: `bench-mem-hand:${POLICY}`,
  });
  rows.push(
    row(
      'rate-limit memory: decision + headers',
      'RateLimiterMemory.consume',
      await compare(
        (i) => limiter.consume(pick(i)),
        (i) => library.consume(tenantOf(pick(i))!, 1),
        memoryRounds,
      ),
    ),
    row(
      'rate-limit memory: decision + headers',
      'RateLimiterMemory.consume + same headers by hand',
      await compare(
        (i) => limiter.consume(pick(i)),
        (i) => libraryWithHeaders.consume(tenantOf(pick(i))!, 1).then(withHeaders),
        memoryRounds,
      ),
    ),
  );

  if (!redisServerInstalled()) {
    process.stderr.write('rate-limit bench: redis-server not installed, Redis rows skipped\n');
    return rows;
  }
  const redis = await startRedis();
  const clients = [0, 1].map(() => {
    const client = new Redis({ host: '127.0.0.1', port: redis.port, ...redisClientOptions });
    client.on('error', () => {});
    return client;
  });
  try {
    await Promise.all(clients.map((client) => once(client, 'ready')));
    const [oursClient, peerClient] = clients as [Redis, Redis];
    const redisLimiter = limiterOn(redisStore({ client: oursClient }), 'bench-redis-ours');
    const redisLibrary = new RateLimiterRedis({
      storeClient: peerClient,
      points: LIMIT,
      duration: WINDOW_SECONDS,
      keyPrefix: `bench-redis-peer:${POLICY}`,
      rejectIfRedisNotReady: true,
    });
    rows.push(
      row(
        'rate-limit redis: decision + headers',
        'RateLimiterRedis.consume',
        await compare(
          (i) => redisLimiter.consume(pick(i)),
          (i) => redisLibrary.consume(tenantOf(pick(i))!, 1),
          { total: quick ? 3_000 : 10_000, batch: 50, rounds: quick ? 9 : 21 },
        ),
      ),
    );
  } finally {
    for (const client of clients) client.disconnect();
    await redis.stop();
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await run({ quick: process.argv.includes('--quick') });
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(40)} ${String(r.value).padStart(9)} ${r.unit}  vs ${r.peer}: ${r.peerValue}  ratio ${r.ratio.toFixed(2)}`,
    );
  }
}
