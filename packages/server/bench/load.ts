/** Load generation for the server benchmarks: servers in child processes, autocannon here, medians of rounds. */

import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { Variant } from './servers.js';

/** One measured figure against its peer, as the root bench expects. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  peer: string;
  peerValue: number;
  ratio: number;
  goal?: string;
  pass?: boolean;
}

/** Options of a benchmark run. */
export interface RunOptions {
  /** Shorter runs and fewer rounds, for CI smoke runs. @default false */
  quick?: boolean;
}

const SERVER = fileURLToPath(new URL('./servers.ts', import.meta.url));

/** A benchmark server running in its own process. */
export interface ChildServer {
  variant: Variant;
  url: string;
  stop(): void;
}

/** Starts `variant` in a child process (so the load generator never shares its event loop). */
export function startServer(variant: Variant): Promise<ChildServer> {
  const child: ChildProcess = fork(SERVER, [variant], {
    execArgv: ['--conditions=source', '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${variant} did not start`));
    }, 30_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${variant} exited with ${code}`)));
    child.once('message', (message) => {
      clearTimeout(timer);
      const port = (message as { port: number }).port;
      resolve({
        variant,
        url: `http://127.0.0.1:${port}`,
        stop: () => {
          child.removeAllListeners('exit');
          child.kill();
        },
      });
    });
  });
}

/** Requests per second of `url` under load for `seconds`. */
export async function measure(url: string, seconds: number): Promise<number> {
  const result = await autocannon({
    url,
    connections: 32,
    duration: seconds,
    pipelining: 1,
  });
  if (result.errors > 0 && result.requests.total === 0) throw new Error(`no answer from ${url}`);
  return result.requests.average;
}

/** The median of `values`. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One comparison: a subject and its peer, on the same path. */
export interface Pair {
  name: string;
  subject: Variant;
  peer: Variant;
  peerName: string;
  path: string;
  /** The least acceptable ratio subject/peer. */
  goal: number;
}

/**
 * Measures every pair for several rounds (alternating which side goes first) and returns
 * the medians as rows: `value`/`peerValue` are median req/s, `ratio` the median of the
 * per-round ratios. Servers start once and stay up for all rounds.
 */
export async function comparePairs(pairs: Pair[], options: RunOptions = {}): Promise<BenchRow[]> {
  const seconds = options.quick ? 1 : 2;
  const rounds = options.quick ? 2 : 5;
  const variants = [...new Set(pairs.flatMap((p) => [p.subject, p.peer]))];
  const servers = new Map<Variant, ChildServer>();
  try {
    for (const variant of variants) servers.set(variant, await startServer(variant));
    // Warm every server's JIT on every path before measuring.
    for (const pair of pairs) {
      await measure(servers.get(pair.subject)!.url + pair.path, 0.5);
      await measure(servers.get(pair.peer)!.url + pair.path, 0.5);
    }
    const samples = pairs.map(() => ({ subject: [] as number[], peer: [] as number[] }));
    for (let round = 0; round < rounds; round++) {
      for (const [i, pair] of pairs.entries()) {
        const order =
          round % 2 === 0 ? (['peer', 'subject'] as const) : (['subject', 'peer'] as const);
        for (const side of order) {
          const variant = side === 'peer' ? pair.peer : pair.subject;
          samples[i]![side].push(await measure(servers.get(variant)!.url + pair.path, seconds));
        }
      }
    }
    return pairs.map((pair, i) => {
      const { subject, peer } = samples[i]!;
      const value = median(subject);
      const peerValue = median(peer);
      // Each round measures both sides back to back: the median of those paired ratios
      // resists load drift on a shared machine better than a ratio of medians.
      const ratio = median(subject.map((v, r) => (peer[r] ? v / peer[r]! : 0)));
      return {
        name: pair.name,
        value: Math.round(value),
        unit: 'req/s',
        peer: pair.peerName,
        peerValue: Math.round(peerValue),
        ratio: Math.round(ratio * 1000) / 1000,
        goal: `≥ ${pair.goal.toFixed(2)} of the peer`,
        pass: ratio >= pair.goal,
      };
    });
  } finally {
    for (const server of servers.values()) server.stop();
  }
}

/** Prints rows as an aligned table on stdout. */
export function printRows(rows: BenchRow[]): void {
  const lines = rows.map((r) => [
    r.name,
    `${r.value.toLocaleString('en-US')} ${r.unit}`,
    `${r.peer}: ${r.peerValue.toLocaleString('en-US')}`,
    `ratio ${r.ratio.toFixed(3)}`,
    r.goal ?? '',
    r.pass === undefined ? '' : r.pass ? 'ok' : 'BELOW GOAL',
  ]);
  const widths = lines[0]?.map((_, c) => Math.max(...lines.map((l) => l[c]!.length))) ?? [];
  for (const line of lines) {
    process.stdout.write(`${line.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}\n`);
  }
}
