/** Load generation for the server benchmarks: servers in child processes, autocannon here, medians of rounds. */

import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BenchRow } from '../../../scripts/bench.js';
import type { Variant } from './servers.js';

export type { BenchRow };

/** Options of a benchmark run. */
export interface RunOptions {
  /** Shorter runs and fewer rounds, for CI smoke runs. @default false */
  quick?: boolean;
  /** Rounds per comparison (for trying a change on a few pairs). @default 7, quick 1 */
  rounds?: number;
  /** Seconds of load per server, path and round. @default 0.5 */
  seconds?: number;
}

const SERVER = fileURLToPath(new URL('./servers.ts', import.meta.url));

/** A benchmark server running in its own process. */
export interface ChildServer {
  variant: Variant;
  url: string;
  /** The server process's CPU time so far (user + system), in microseconds. */
  cpu(): Promise<number>;
  stop(): void;
}

/** Starts `variant` in a child process (so the load generator never shares its event loop). */
export function startServer(variant: Variant): Promise<ChildServer> {
  const child: ChildProcess = fork(SERVER, [variant], {
    // Without the `source` condition the adapters load from dist/: what users run (tsx would
    // also rewrite every closure of the source, which costs time the build does not).
    execArgv: ['--import', 'tsx'],
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
        cpu: () =>
          new Promise((done) => {
            const onMessage = (reply: unknown): void => {
              const cpu = (reply as { cpu?: number }).cpu;
              if (typeof cpu !== 'number') return;
              child.off('message', onMessage);
              done(cpu);
            };
            child.on('message', onMessage);
            child.send('cpu');
          }),
        stop: () => {
          child.removeAllListeners('exit');
          child.kill();
        },
      });
    });
  });
}

/** What one loaded run of a server measured. */
export interface Sample {
  /** Requests per second the load generator saw. */
  rps: number;
  /** Requests served per second of the server's CPU time: its capacity. */
  capacity: number;
}

/** Loads `server` on `path` for `seconds`: throughput, and server CPU per request. */
export async function measure(server: ChildServer, path: string, seconds: number): Promise<Sample> {
  const before = await server.cpu();
  const result = await autocannon({
    url: server.url + path,
    connections: 32,
    duration: seconds,
    pipelining: 1,
    // autocannon stops at its next sample tick: 1 s by default, which would round every run
    // up to whole seconds.
    sampleInt: 100,
  });
  const cpuMicros = (await server.cpu()) - before;
  if (result.requests.total === 0) throw new Error(`no answer from ${server.variant}${path}`);
  return {
    // Samples are 100 ms long: the rate is the total over the run's real duration.
    rps: result.duration > 0 ? result.requests.total / result.duration : 0,
    capacity: cpuMicros > 0 ? (result.requests.total * 1e6) / cpuMicros : 0,
  };
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
  /** The least acceptable ratio subject/peer; none for a reference row. */
  goal?: number;
}

/** One server loaded on one path: what a round measures once, whatever pairs use it. */
interface Unit {
  variant: Variant;
  path: string;
}

const unitKey = (variant: Variant, path: string): string => `${variant} ${path}`;

/**
 * Measures every pair for several rounds and returns two rows per pair:
 * - `… (server capacity)`: requests per CPU-second of the server process, the median of the
 *   per-round ratios held to the pair's goal. On a small machine the load generator
 *   saturates before the server does, so this is what says whether the adapter is costly;
 * - `… (throughput)`: req/s the load generator saw, for information.
 *
 * Each server and path is measured once per round, however many pairs use it (an adapter
 * compared with two peers shares its samples), in the order the pairs name them so the two
 * sides of a pair run back to back; the order reverses every round, so a drift in the
 * machine's load falls on both sides alike. Servers start once and stay up for all rounds,
 * and each is warmed on each path before the first round (a cold first round, the JIT still
 * busy, read a third low).
 */
export async function comparePairs(pairs: Pair[], options: RunOptions = {}): Promise<BenchRow[]> {
  const seconds = options.seconds ?? 0.5;
  const rounds = options.rounds ?? (options.quick ? 1 : 7);
  const variants = [...new Set(pairs.flatMap((p) => [p.subject, p.peer]))];
  const units = new Map<string, Unit>();
  for (const pair of pairs) {
    for (const variant of [pair.peer, pair.subject]) {
      units.set(unitKey(variant, pair.path), { variant, path: pair.path });
    }
  }
  const servers = new Map<Variant, ChildServer>();
  try {
    // Started together: each child spends most of its start-up loading modules.
    const started = await Promise.allSettled(variants.map((variant) => startServer(variant)));
    for (const result of started) {
      if (result.status === 'fulfilled') servers.set(result.value.variant, result.value);
    }
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    // Quick mode skips the warm-up: its figures are for trying changes, not for BENCHMARKS.md.
    for (const unit of options.quick ? [] : units.values()) {
      await measure(servers.get(unit.variant)!, unit.path, 0.8);
    }
    const samples = new Map<string, Sample[]>([...units.keys()].map((key) => [key, []]));
    const order = [...units.entries()];
    for (let round = 0; round < rounds; round++) {
      for (const [key, unit] of round % 2 === 0 ? order : [...order].reverse()) {
        samples.get(key)!.push(await measure(servers.get(unit.variant)!, unit.path, seconds));
      }
    }
    return pairs.flatMap((pair) => {
      const subject = samples.get(unitKey(pair.subject, pair.path))!;
      const peer = samples.get(unitKey(pair.peer, pair.path))!;
      const row = (metric: 'capacity' | 'rps'): BenchRow => {
        const value = median(subject.map((s) => s[metric]));
        const peerValue = median(peer.map((s) => s[metric]));
        // Paired per-round ratios resist load drift on a shared machine.
        const ratio = median(subject.map((s, r) => s[metric] / (peer[r]![metric] || Number.NaN)));
        const base = {
          value: Math.round(value),
          peer: pair.peerName,
          peerValue: Math.round(peerValue),
          ratio: Math.round(ratio * 1000) / 1000,
        };
        if (metric === 'rps') return { name: `${pair.name} (throughput)`, unit: 'req/s', ...base };
        const row: BenchRow = {
          name: `${pair.name} (server capacity)`,
          unit: 'req per CPU-s',
          ...base,
        };
        if (pair.goal === undefined) return row;
        return { ...row, goal: `≥ ${pair.goal.toFixed(2)} of the peer`, pass: ratio >= pair.goal };
      };
      return [row('capacity'), row('rps')];
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
