/**
 * Requests per second through `apifault proxy` (no fault rule) against @fastify/http-proxy
 * forwarding the same GET to the same upstream, each in its own process, autocannon here.
 * Bounded: a fixed duration per round, rounds alternating the two, the median of per-round ratios.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BenchRow } from '../../../scripts/bench.js';

const CHILD = fileURLToPath(new URL('./proxy-child.ts', import.meta.url));

interface Child {
  process: ChildProcess;
  url: string;
}

/** Starts one process of the benchmark; without the `source` condition the proxy loads from dist/, as users run it. */
function start(kind: string, upstream = ''): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, kind, upstream], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const [word, port] = line.split(' ');
      if (word === 'ready') resolve({ process: child, url: `http://127.0.0.1:${port}` });
      else reject(new Error(`unexpected line from ${kind}: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`${kind} exited (${code})`)));
  });
}

function stop(child: Child): Promise<void> {
  return new Promise((resolve) => {
    if (child.process.exitCode !== null) return resolve();
    child.process.once('exit', () => resolve());
    child.process.kill('SIGTERM');
  });
}

async function load(url: string, seconds: number): Promise<number> {
  const result = await autocannon({
    url: `${url}/v1/customers/4f1c2d3e-0000-4000-8000-000000000001`,
    connections: 32,
    duration: seconds,
    headers: { accept: 'application/json', 'ms-requestid': 'bench' },
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return result.requests.average;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Measures; `quick` shortens the rounds for CI smoke runs. */
export async function run({ quick = false }: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const rounds = quick ? 2 : 7;
  const seconds = quick ? 1 : 3;
  const upstream = await start('upstream');
  const mine = await start('apifault', upstream.url);
  const peer = await start('fastify-http-proxy', upstream.url);
  try {
    // Warm both (connection pools, JIT) before measuring.
    await load(mine.url, 1);
    await load(peer.url, 1);
    const mineRuns: number[] = [];
    const peerRuns: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // Alternate who goes first, so a load swing on the shared machine hits both alike.
      if (round % 2 === 0) {
        mineRuns.push(await load(mine.url, seconds));
        peerRuns.push(await load(peer.url, seconds));
      } else {
        peerRuns.push(await load(peer.url, seconds));
        mineRuns.push(await load(mine.url, seconds));
      }
    }
    const ratio = median(mineRuns.map((m, i) => m / peerRuns[i]!));
    return [
      {
        name: 'proxy: GET 200 through apifault proxy (no fault rule)',
        value: median(mineRuns),
        unit: 'req/s',
        peer: '@fastify/http-proxy',
        peerValue: median(peerRuns),
        ratio,
        goal: '≥ 0.90 of @fastify/http-proxy',
        pass: ratio >= 0.9,
      },
    ];
  } finally {
    await Promise.all([stop(mine), stop(peer), stop(upstream)]);
  }
}
