/**
 * The idempotency stage's cost: a POST through the stage (memory store, a new key each time,
 * so claim + store) against the same POST on the same app without it; and the Redis store's
 * claims per second against the same script issued directly through ioredis. Both sides of
 * each row run in this process, in alternating rounds of the same size.
 *
 * "The same commands issued directly" means the same EVALSHA of the same script with the
 * arguments any caller that claims a key must build for each claim: the key scoped by its
 * tenant, a fresh owner token (without it the claim's owner could not be told from a late
 * request whose lease expired) and the fingerprint serialized beside it. The peer builds
 * them inline as such a caller would; what the row measures is what the store adds around
 * that command (its function call, the promise, reading the reply).
 * Run directly: `npx tsc -b && node --import tsx bench/idempotency.bench.ts [--quick]`.
 */

import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp, redisClientOptions, redisIdempotencyStore } from '@apifault/server';
import { Redis } from 'ioredis';
import { CLAIM_SCRIPT } from '../src/idempotency/redis-store.js';
import { redisServerInstalled, startRedis } from '../test/helpers/redis-server.js';
import type { BenchRow } from './load.js';
import { compare } from './rate-limit.bench.js';

/** The goals: at least 0.9 of the peer. */
const GOAL = 0.9;
const BODY = JSON.stringify({ item: 'bench', quantity: 1 });

function row(
  name: string,
  unit: string,
  peer: string,
  [value, peerValue, ratio]: [number, number, number],
): BenchRow {
  return {
    name,
    value: Math.round(value),
    unit,
    peer,
    peerValue: Math.round(peerValue),
    ratio: Math.round(ratio * 100) / 100,
    goal: `>= ${GOAL.toFixed(2)}`,
    pass: ratio >= GOAL,
  };
}

async function serve(idempotency: boolean): Promise<{ server: Server; port: number }> {
  const app = createApp(idempotency ? { idempotency: true } : {});
  let n = 0;
  app.post('/v1/orders', async (ctx) => {
    const body = (await ctx.json()) as object;
    ctx.status = 201;
    ctx.setHeader('location', `/v1/orders/o-${++n}`);
    return { id: `o-${n}`, ...body };
  });
  const server = createServer(app.handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

/** One POST with a new MS-RequestId, answered. */
function post(agent: Agent, port: number, key: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/orders',
        agent,
        headers: { 'content-type': 'application/json', 'ms-requestid': key },
      },
      (res) => {
        res.resume();
        res.once('end', () =>
          res.statusCode === 201 ? resolve() : reject(new Error(`${res.statusCode}`)),
        );
      },
    );
    req.once('error', reject);
    req.end(BODY);
  });
}

/** Runs the benchmark; `quick` keeps it to a few seconds. */
export async function run({ quick = false }: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const ours = await serve(true);
  const peer = await serve(false);
  let seq = 0;
  try {
    rows.push(
      row(
        'idempotency: POST through the stage, memory store (new key each)',
        'req/s',
        'the same POST and app without the stage',
        await compare(
          () => post(agent, ours.port, `k-${++seq}`),
          () => post(agent, peer.port, `k-${++seq}`),
          { total: quick ? 2000 : 10_000, batch: 16, rounds: quick ? 3 : 9 },
        ),
      ),
    );
  } finally {
    agent.destroy();
    ours.server.close();
    peer.server.close();
  }

  if (!redisServerInstalled()) {
    process.stderr.write('idempotency bench: redis-server not installed, Redis row skipped\n');
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
    const store = redisIdempotencyStore({ client: oursClient, keyPrefix: 'bench-ours' });
    peerClient.defineCommand('benchClaim', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
    const claimDirect = (
      peerClient as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>
    )['benchClaim']!.bind(peerClient);
    const fingerprint = { method: 'POST', path: '/v1/orders', body: 'a'.repeat(64) };
    const scope = 'tenant-1';
    rows.push(
      row(
        'idempotency redis: claim (a new key each)',
        'claims/s',
        'the same Lua claim through ioredis directly (same key, token and fingerprint built per claim)',
        await compare(
          async (i) => store.claim(scope, `o-${i}-${++seq}`, fingerprint, 60_000),
          (i) =>
            claimDirect(
              `bench-peer:${scope.length}:${scope}:o-${i}-${++seq}`,
              `r|${randomUUID()}|${JSON.stringify(fingerprint)}`,
              60_000,
            ),
          { total: quick ? 10_000 : 50_000, batch: 100, rounds: quick ? 5 : 15 },
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
  const { printRows } = await import('./load.js');
  printRows(await run({ quick: process.argv.includes('--quick') }));
}
