/**
 * The dashboard's cost: the emulator's throughput on GET customer by id with one dashboard
 * stream open and read (every exchange recorded and streamed), against the same emulator
 * with no page open, in paired rounds of one run. The emulator and the stream's reader each
 * run in a process of their own, apart from the load generator, so reading the stream costs
 * the emulator only what serving it costs.
 */

import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SEED_CUSTOMERS } from '@apifault/emulator';
import autocannon from 'autocannon';
import type { BenchRow } from '../../../scripts/bench.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The least share of the no-page throughput the emulator must keep with a page streaming. */
const GOAL = 0.9;
const CONDITIONS = existsSync(join(here, '..', 'dist', 'index.js')) ? [] : ['--conditions=source'];

/**
 * With two CPUs or more and util-linux's taskset, the emulator runs alone on the last CPU and
 * the load generator and the stream's reader share the first, so the reader's work takes
 * nothing from the emulator's CPU in one condition only. Without them, nothing is pinned.
 */
const PIN =
  availableParallelism() >= 2 && existsSync('/usr/bin/taskset')
    ? { emulator: String(availableParallelism() - 1), others: '0' }
    : undefined;

/** `node args` on `cpu` when pinning. */
function spawnNode(cpu: string | undefined, args: string[]): ChildProcess {
  const options: SpawnOptions = { stdio: ['ignore', 'pipe', 'inherit'] };
  return PIN === undefined || cpu === undefined
    ? spawn(process.execPath, args, options)
    : spawn('/usr/bin/taskset', ['-c', cpu, process.execPath, ...args], options);
}

/** Pins this process (the load generator) for the run; returns how to undo it. */
function pinSelf(): () => void {
  if (PIN === undefined) return () => {};
  const pid = String(process.pid);
  const before = execFileSync('/usr/bin/taskset', ['-p', '-c', pid], { encoding: 'utf8' })
    .split(':')
    .pop()
    ?.trim();
  execFileSync('/usr/bin/taskset', ['-p', '-c', PIN.others, pid], { stdio: 'ignore' });
  return () => {
    if (before) execFileSync('/usr/bin/taskset', ['-p', '-c', before, pid], { stdio: 'ignore' });
  };
}

function startChild(): Promise<{ child: ChildProcess; url: string; token: string }> {
  const child = spawnNode(PIN?.emulator, [
    ...CONDITIONS,
    '--import',
    'tsx',
    join(here, 'emulator-child.ts'),
  ]);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const [word, url = '', token = ''] = line.split(' ');
      if (word === 'ready') resolve({ child, url, token });
      else reject(new Error(`unexpected: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`emulator-child exited (${code})`)));
  });
}

/**
 * Opens the dashboard's stream in a reader process; resolves once it is open, with a
 * `close()` that stops the reader and resolves with the bytes it read.
 */
function openStream(url: string): Promise<{ close: () => Promise<number> }> {
  const child = spawnNode(PIN?.others, [
    '--import',
    'tsx',
    join(here, 'stream-reader-child.ts'),
    url,
  ]);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the stream reader exited');
    return value as string;
  };
  return next().then((line) => {
    if (line !== 'open') throw new Error(`stream reader: ${line}`);
    return {
      async close() {
        child.kill('SIGTERM');
        const read = await next();
        return Number(read.split(' ')[1]);
      },
    };
  });
}

/** The clock ticks of /proc/<pid>/stat per second, when the system says. */
const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || undefined;
  } catch {
    return undefined;
  }
})();

/** The CPU time process `pid` has used (user + system), in µs; undefined off Linux. */
function cpuMicros(pid: number | undefined): number | undefined {
  if (TICKS === undefined || pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS;
  } catch {
    return undefined;
  }
}

/** One load: what the load generator saw (req/s) and the emulator's capacity (req per CPU-s). */
interface Measure {
  rps: number;
  capacity: number | undefined;
}

async function load(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  pid: number | undefined,
): Promise<Measure> {
  const before = cpuMicros(pid);
  const result = await autocannon({
    url,
    connections: 32,
    duration: seconds,
    headers,
    sampleInt: 100,
  });
  const after = cpuMicros(pid);
  if (result.requests.total === 0) throw new Error(`no answer from ${url}`);
  const used = before === undefined || after === undefined ? 0 : after - before;
  return {
    rps: result.requests.total / result.duration,
    capacity: used > 0 ? (result.requests.total * 1e6) / used : undefined,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs the benchmark; `quick` makes it one short round. */
export async function run({ quick = false }: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const seconds = quick ? 0.5 : 1.5;
  const rounds = quick ? 1 : 10;
  const emu = await startChild();
  const unpin = pinSelf();
  try {
    const target = `${emu.url}/v1/customers/${SEED_CUSTOMERS.adatum}`;
    const headers = { authorization: `Bearer ${emu.token}` };
    const pid = emu.child.pid;
    const watched = async (): Promise<Measure> => {
      const stream = await openStream(emu.url);
      const value = await load(target, headers, seconds, pid);
      if ((await stream.close()) === 0) throw new Error('the dashboard stream sent nothing');
      return value;
    };
    const bare = (): Promise<Measure> => load(target, headers, seconds, pid);
    await bare();
    await watched();
    const mine: Measure[] = [];
    const peer: Measure[] = [];
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        mine.push(await watched());
        peer.push(await bare());
      } else {
        peer.push(await bare());
        mine.push(await watched());
      }
    }
    const pinned = PIN ? '; the emulator alone on a CPU' : '';
    const row = (name: string, unit: string, of: (m: Measure) => number | undefined) => {
      const ratios = mine.map((m, r) => (of(m) ?? 0) / (of(peer[r] as Measure) ?? 1));
      const spread =
        rounds === 1
          ? 'one round'
          : `median of ${rounds} paired rounds, ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
      return {
        name: `emulator: GET customer by id, one dashboard stream open (${name})`,
        value: median(mine.map((m) => of(m) ?? 0)),
        unit,
        peer: 'the same emulator, no page open',
        peerValue: median(peer.map((m) => of(m) ?? 0)),
        ratio: median(ratios),
        spread: `${spread}${pinned}`,
      };
    };
    // What the goal holds: the emulator's own CPU per request, which other processes on a
    // busy machine change far less than the requests per second the load generator sees.
    const capacity = mine.every((m) => m.capacity !== undefined)
      ? row('emulator capacity', 'req per CPU-s', (m) => m.capacity)
      : undefined;
    const throughput = row('throughput', 'req/s', (m) => m.rps);
    const held = capacity ?? throughput;
    const { spread: _heldSpread, ...heldRow } = held;
    const { spread: _spread, ...infoRow } = throughput;
    return [
      {
        ...heldRow,
        goal: `≥ ${GOAL} of the peer (${held.spread})`,
        pass: held.ratio >= GOAL,
      },
      ...(capacity === undefined ? [] : [{ ...infoRow, goal: `reported (${throughput.spread})` }]),
    ];
  } finally {
    emu.child.kill('SIGKILL');
    unpin();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await run({ quick: process.argv.includes('--quick') })) {
    process.stdout.write(
      `${row.name}: ${row.value.toFixed(1)} ${row.unit} vs ${row.peer} ${row.peerValue.toFixed(1)} ${row.unit}: ratio ${row.ratio.toFixed(2)} (goal ${row.goal})${row.pass === undefined ? '' : row.pass ? ' PASS' : ' FAIL'}\n`,
    );
  }
}
