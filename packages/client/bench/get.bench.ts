/**
 * Successful GETs through @apifault/client against plain fetch and ky on the same local
 * server (a child process), the peers sending the same headers; and the 429-then-200
 * path's overshoot past the Retry-After asked.
 * Bounded: N requests at fixed concurrency, several rounds, medians.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createClient } from '@apifault/client';
import ky from 'ky';
import type { BenchRow } from '../../../scripts/bench.js';

const TOKEN = 'bench-token';

function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const script = fileURLToPath(new URL('./server-child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const [word, port] = line.split(' ');
      if (word === 'ready') resolve({ child, port: Number(port) });
      else reject(new Error(`unexpected line from the server: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Runs `total` calls of `once`, `concurrency` at a time; returns requests per second and
 * this process's CPU time per request in µs (steadier than wall time on a shared machine).
 */
async function measure(
  once: () => Promise<unknown>,
  total: number,
  concurrency: number,
): Promise<{ rps: number; cpuUs: number }> {
  let issued = 0;
  const worker = async (): Promise<void> => {
    while (issued < total) {
      issued++;
      await once();
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { rps: total / (elapsed / 1000), cpuUs: (used.user + used.system) / total };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

type Contender = 'client' | 'untimed' | 'fetch' | 'fetchTimed' | 'ky';

/**
 * A row comparing two contenders by throughput (higher is better) or CPU (lower is). The
 * ratio is the median of per-round ratios: each round runs every contender back to back,
 * so a shared machine's load swings hit both sides of a ratio alike.
 */
function compare(
  name: string,
  unit: 'req/s' | 'µs',
  mineRuns: number[],
  peer: string,
  theirRuns: number[],
  goal?: number,
): BenchRow {
  const mine = median(mineRuns);
  const theirs = median(theirRuns);
  const ratio = median(
    mineRuns.map((m, i) => (unit === 'req/s' ? m / theirRuns[i]! : theirRuns[i]! / m)),
  );
  const row: BenchRow = { name, value: mine, unit, peer, peerValue: theirs, ratio };
  // A reference row (no goal) is printed for information.
  if (goal === undefined) return row;
  const words =
    unit === 'req/s' ? `≥ ${goal.toFixed(2)} of ${peer}` : `CPU ≤ ${peer}'s / ${goal.toFixed(2)}`;
  return { ...row, goal: words, pass: ratio >= goal };
}

/** Measures; `quick` shortens every loop for CI. */
export async function run({ quick = false }: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const total = quick ? 500 : 1000;
  const rounds = quick ? 4 : 20;
  const concurrency = 16;
  const timeoutMs = 30_000;
  const { child, port } = await startServer();
  try {
    const base = `http://127.0.0.1:${port}`;
    const url = `${base}/v1/customers/c1`;
    const client = createClient({ baseUrl: base, credential: () => TOKEN, timeout: timeoutMs });
    // The same client without per-attempt timeout or deadline: no AbortSignal reaches fetch.
    const untimed = createClient({
      baseUrl: base,
      credential: () => TOKEN,
      timeout: Number.POSITIVE_INFINITY,
      retry: { deadlineMs: Number.POSITIVE_INFINITY },
    });
    // The peers send what the protocol asks for too (ids, locale), so the ratios measure
    // the client's own work: retries, timeouts, error typing.
    const headers = () => ({
      accept: 'application/json',
      authorization: `Bearer ${TOKEN}`,
      'x-locale': 'en-US',
      'ms-requestid': crypto.randomUUID(),
      'ms-correlationid': crypto.randomUUID(),
    });
    const contenders: Record<Contender, () => Promise<unknown>> = {
      client: () => client.get('/v1/customers/c1'),
      untimed: () => untimed.get('/v1/customers/c1'),
      fetch: async () => {
        const response = await fetch(url, { headers: headers() });
        if (!response.ok) throw new Error(`status ${response.status}`);
        return response.json();
      },
      // What a caller writes by hand to get the client's per-attempt timeout.
      fetchTimed: async () => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), timeoutMs);
        try {
          const response = await fetch(url, { headers: headers(), signal: controller.signal });
          if (!response.ok) throw new Error(`status ${response.status}`);
          return await response.json();
        } finally {
          clearTimeout(timer);
        }
      },
      ky: () => ky.get(url, { headers: headers() }).json(),
    };
    const names = Object.keys(contenders) as Contender[];
    const rpsRuns = new Map<Contender, number[]>(names.map((n) => [n, []]));
    const cpuRuns = new Map<Contender, number[]>(names.map((n) => [n, []]));
    for (const name of names) await measure(contenders[name], total, concurrency);
    for (let round = 0; round < rounds; round++) {
      // Rotate the order so no contender always runs first (or on a warmer JIT).
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round) % names.length]!;
        const { rps, cpuUs } = await measure(contenders[name], total, concurrency);
        rpsRuns.get(name)!.push(rps);
        cpuRuns.get(name)!.push(cpuUs);
      }
    }
    const rps = (name: Contender): number[] => rpsRuns.get(name)!;
    const cpu = (name: Contender): number[] => cpuRuns.get(name)!;

    const overshoots: number[] = [];
    const asked = 1000;
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      const started = performance.now();
      await client.get(`/v1/throttled/${i}-${Date.now()}`);
      overshoots.push(performance.now() - started - asked);
    }
    const overshoot = median(overshoots);

    return [
      compare(
        'client GET (defaults, 30 s timeout) vs plain fetch',
        'req/s',
        rps('client'),
        'fetch',
        rps('fetch'),
        0.95,
      ),
      compare(
        'client GET (defaults) vs fetch + AbortController timeout',
        'req/s',
        rps('client'),
        'fetch+timeout',
        rps('fetchTimed'),
        0.95,
      ),
      compare(
        'client GET (timeout and deadline off) vs plain fetch',
        'req/s',
        rps('untimed'),
        'fetch',
        rps('fetch'),
        0.95,
      ),
      compare('client GET (defaults) vs ky', 'req/s', rps('client'), 'ky', rps('ky'), 1),
      // No goal: Node's own price for an abortable request, which the client's defaults pay.
      compare(
        'reference: fetch + AbortController timeout vs plain fetch, CPU per GET',
        'µs',
        cpu('fetchTimed'),
        'fetch',
        cpu('fetch'),
      ),
      compare(
        'client CPU per GET (defaults) vs fetch + AbortController timeout',
        'µs',
        cpu('client'),
        'fetch+timeout',
        cpu('fetchTimed'),
        0.95,
      ),
      compare(
        'client CPU per GET (timeout and deadline off) vs plain fetch',
        'µs',
        cpu('untimed'),
        'fetch',
        cpu('fetch'),
        0.95,
      ),
      compare(
        'client CPU per GET (defaults) vs plain fetch',
        'µs',
        cpu('client'),
        'fetch',
        cpu('fetch'),
        0.95,
      ),
      {
        name: '429 then 200: total time past Retry-After: 1',
        value: overshoot,
        unit: 'ms',
        peer: 'Retry-After asked',
        peerValue: asked,
        ratio: (asked + overshoot) / asked,
        goal: 'overshoot ≤ 50 ms',
        pass: overshoot <= 50,
      },
    ];
  } finally {
    await stop(child);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await run({ quick: process.argv.includes('--quick') });
  for (const row of rows) {
    const pass = row.pass === undefined ? '' : row.pass ? ' pass' : ' FAIL';
    console.log(
      `${row.name}: ${row.value.toFixed(1)} ${row.unit} | ${row.peer}: ${row.peerValue.toFixed(1)} | ratio ${row.ratio.toFixed(3)}${row.goal === undefined ? '' : ` (${row.goal})`}${pass}`,
    );
  }
}
