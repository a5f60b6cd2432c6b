/**
 * Decisions per second through the rate limiter against rate-limiter-flexible called directly
 * with the same configuration, on the memory store and on a real redis-server, in one run.
 * Run directly: `node --conditions=source --import tsx bench/rate-limit.bench.ts [--quick]`.
 */

import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import {
  createRateLimiter,
  memoryStore,
  type RateLimitRequest,
  type RateLimitStore,
  redisClientOptions,
  redisStore,
} from '../src/rate-limit/index.js';
import { redisServerInstalled, startRedis } from '../test/helpers/redis-server.js';

/** One line of the benchmark's result. */
export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly peer: string;
  readonly peerValue: number;
  readonly ratio: number;
  /** The goal for this row. */
  readonly goal: string;
  /** Whether the ratio meets the goal. */
  readonly pass: boolean;
}

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

/** Alternates the two sides round by round (so drift hits both), returns the medians. */
async function compare(
  ours: (i: number) => Promise<unknown>,
  peer: (i: number) => Promise<unknown>,
  options: { total: number; batch: number; rounds: number },
): Promise<[number, number]> {
  // Warm-up: let both sides reach optimised code before measuring.
  await measure(ours, options.total / 4, options.batch);
  await measure(peer, options.total / 4, options.batch);
  const oursRates: number[] = [];
  const peerRates: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    oursRates.push(await measure(ours, options.total, options.batch));
    peerRates.push(await measure(peer, options.total, options.batch));
  }
  return [median(oursRates), median(peerRates)];
}

function row(name: string, peer: string, [value, peerValue]: [number, number]): BenchRow {
  return {
    name,
    value: Math.round(value),
    unit: 'decisions/s',
    peer,
    peerValue: Math.round(peerValue),
    ratio: Math.round((value / peerValue) * 100) / 100,
    goal: `>= ${GOAL.toFixed(2)}`,
    pass: value / peerValue >= GOAL,
  };
}

/** The limiter and the library configured alike: one policy, one window, keyed by tenant. */
function limiterOn(store: RateLimitStore, keyPrefix: string) {
  return createRateLimiter({
    store,
    failure: 'open',
    keyPrefix,
    policies: [
      { name: 'tenant', key: tenantOf, windows: [{ limit: LIMIT, windowSeconds: WINDOW_SECONDS }] },
    ],
  });
}

/**
 * What an application gets from the library alone when it sends the same headers: the
 * consume, then the RateLimit fields written by hand.
 */
function withHeaders(res: RateLimiterRes): { headers: Record<string, string> } {
  return {
    headers: {
      'RateLimit-Policy': `"tenant";q=${LIMIT};w=${WINDOW_SECONDS}`,
      RateLimit: `"tenant";r=${res.remainingPoints};t=${Math.ceil(res.msBeforeNext / 1000)}`,
    },
  };
}

/** Runs the benchmark; `quick` keeps it to a few seconds. */
export async function run({ quick = false }: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const pick = (i: number): RateLimitRequest => REQUESTS[i % REQUESTS.length]!;

  const memoryRounds = { total: quick ? 50_000 : 400_000, batch: 100, rounds: quick ? 3 : 7 };
  const limiter = limiterOn(memoryStore(), 'bench-mem-ours');
  const library = new RateLimiterMemory({
    points: LIMIT,
    duration: WINDOW_SECONDS,
    keyPrefix: 'bench-mem-peer',
  });
  const libraryWithHeaders = new RateLimiterMemory({
    points: LIMIT,
    duration: WINDOW_SECONDS,
    keyPrefix: 'bench-mem-peer-headers',
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
      keyPrefix: 'bench-redis-peer',
      rejectIfRedisNotReady: true,
    });
    rows.push(
      row(
        'rate-limit redis: decision + headers',
        'RateLimiterRedis.consume',
        await compare(
          (i) => redisLimiter.consume(pick(i)),
          (i) => redisLibrary.consume(tenantOf(pick(i))!, 1),
          { total: quick ? 5_000 : 30_000, batch: 50, rounds: quick ? 3 : 7 },
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
