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

/** One measured figure against its peer (the shape the root bench runner gathers). */
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

/** Measures; `quick` shortens every loop for CI. */
export async function run({ quick = false }: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const total = quick ? 2000 : 10_000;
  const rounds = quick ? 3 : 7;
  const concurrency = 16;
  const { child, port } = await startServer();
  try {
    const base = `http://127.0.0.1:${port}`;
    const url = `${base}/v1/customers/c1`;
    const client = createClient({ baseUrl: base, credential: () => TOKEN });
    // The same client without per-attempt timeout or deadline: no AbortSignal reaches fetch.
    const untimed = createClient({
      baseUrl: base,
      credential: () => TOKEN,
      timeout: Number.POSITIVE_INFINITY,
      retry: { deadlineMs: Number.POSITIVE_INFINITY },
    });
    // The peers send what the protocol asks for too (ids, locale), so the ratio measures
    // the client's own work: retries, timeouts, error typing.
    const headers = () => ({
      accept: 'application/json',
      authorization: `Bearer ${TOKEN}`,
      'x-locale': 'en-US',
      'ms-requestid': crypto.randomUUID(),
      'ms-correlationid': crypto.randomUUID(),
    });
    const contenders: Record<'client' | 'untimed' | 'fetch' | 'ky', () => Promise<unknown>> = {
      client: () => client.get('/v1/customers/c1'),
      untimed: () => untimed.get('/v1/customers/c1'),
      fetch: async () => {
        const response = await fetch(url, { headers: headers() });
        if (!response.ok) throw new Error(`status ${response.status}`);
        return response.json();
      },
      ky: () => ky.get(url, { headers: headers() }).json(),
    };
    const names = Object.keys(contenders) as (keyof typeof contenders)[];
    const rpsRuns: Record<string, number[]> = { client: [], untimed: [], fetch: [], ky: [] };
    const cpuRuns: Record<string, number[]> = { client: [], untimed: [], fetch: [], ky: [] };
    for (const name of names) await measure(contenders[name], total / 4, concurrency);
    for (let round = 0; round < rounds; round++) {
      // Rotate the order so no contender always runs first (or on a warmer JIT).
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round) % names.length]!;
        const { rps, cpuUs } = await measure(contenders[name], total, concurrency);
        rpsRuns[name]!.push(rps);
        cpuRuns[name]!.push(cpuUs);
      }
    }
    const rps = {
      client: median(rpsRuns['client']!),
      untimed: median(rpsRuns['untimed']!),
      fetch: median(rpsRuns['fetch']!),
      ky: median(rpsRuns['ky']!),
    };
    const cpuUs = {
      client: median(cpuRuns['client']!),
      untimed: median(cpuRuns['untimed']!),
      fetch: median(cpuRuns['fetch']!),
    };

    const overshoots: number[] = [];
    const asked = 1000;
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      const started = performance.now();
      await client.get(`/v1/throttled/${i}-${Date.now()}`);
      overshoots.push(performance.now() - started - asked);
    }
    const overshoot = median(overshoots);

    return [
      {
        name: 'client GET (successful) vs plain fetch',
        value: rps.client,
        unit: 'req/s',
        peer: 'fetch',
        peerValue: rps.fetch,
        ratio: rps.client / rps.fetch,
        goal: '≥ 0.95 of plain fetch',
        pass: rps.client / rps.fetch >= 0.95,
      },
      {
        name: 'client GET (successful) vs ky',
        value: rps.client,
        unit: 'req/s',
        peer: 'ky',
        peerValue: rps.ky,
        ratio: rps.client / rps.ky,
        goal: '> 1.00 of ky',
        pass: rps.client > rps.ky,
      },
      {
        name: 'client-process CPU per successful GET vs plain fetch (ratio = fetch / client)',
        value: cpuUs.client,
        unit: 'µs',
        peer: 'fetch',
        peerValue: cpuUs.fetch,
        ratio: cpuUs.fetch / cpuUs.client,
        goal: '≥ 0.95 (at most 5% more CPU than plain fetch)',
        pass: cpuUs.fetch / cpuUs.client >= 0.95,
      },
      {
        name: 'client without timeout or deadline (no AbortSignal): CPU per GET vs plain fetch',
        value: cpuUs.untimed,
        unit: 'µs',
        peer: 'fetch',
        peerValue: cpuUs.fetch,
        ratio: cpuUs.fetch / cpuUs.untimed,
        goal: '≥ 0.95 (at most 5% more CPU than plain fetch)',
        pass: cpuUs.fetch / cpuUs.untimed >= 0.95,
      },
      {
        name: 'client without timeout or deadline: successful GETs vs plain fetch',
        value: rps.untimed,
        unit: 'req/s',
        peer: 'fetch',
        peerValue: rps.fetch,
        ratio: rps.untimed / rps.fetch,
        goal: '≥ 0.95 of plain fetch',
        pass: rps.untimed / rps.fetch >= 0.95,
      },
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
      `${row.name}: ${row.value.toFixed(1)} ${row.unit} | ${row.peer}: ${row.peerValue.toFixed(1)} | ratio ${row.ratio.toFixed(3)} (${row.goal ?? ''})${pass}`,
    );
  }
}
