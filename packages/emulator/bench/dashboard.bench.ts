/**
 * The dashboard's cost: the emulator's throughput on GET customer by id with one dashboard
 * stream open and read (every exchange recorded and streamed), against the same emulator
 * with no page open, in paired rounds of one run. The emulator and the stream's reader each
 * run in a process of their own, apart from the load generator, so reading the stream costs
 * the emulator only what serving it costs.
 */

import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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

async function rps(url: string, headers: Record<string, string>, seconds: number): Promise<number> {
  const result = await autocannon({
    url,
    connections: 32,
    duration: seconds,
    headers,
    sampleInt: 100,
  });
  if (result.requests.total === 0) throw new Error(`no answer from ${url}`);
  return result.requests.total / result.duration;
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
    const watched = async (): Promise<number> => {
      const stream = await openStream(emu.url);
      const value = await rps(target, headers, seconds);
      if ((await stream.close()) === 0) throw new Error('the dashboard stream sent nothing');
      return value;
    };
    const bare = (): Promise<number> => rps(target, headers, seconds);
    await bare();
    await watched();
    const mine: number[] = [];
    const peer: number[] = [];
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        mine.push(await watched());
        peer.push(await bare());
      } else {
        peer.push(await bare());
        mine.push(await watched());
      }
    }
    const ratios = mine.map((value, r) => value / (peer[r] as number));
    const ratio = median(ratios);
    const spread =
      rounds === 1
        ? 'one round'
        : `median of ${rounds} paired rounds, ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
    return [
      {
        name: 'emulator: GET customer by id, one dashboard stream open',
        value: median(mine),
        unit: 'req/s',
        peer: 'the same emulator, no page open',
        peerValue: median(peer),
        ratio,
        goal: `≥ ${GOAL} of the peer (${spread}${PIN ? '; the emulator alone on a CPU' : ''})`,
        pass: ratio >= GOAL,
      },
    ];
  } finally {
    emu.child.kill('SIGKILL');
    unpin();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await run({ quick: process.argv.includes('--quick') })) {
    process.stdout.write(
      `${row.name}: ${row.value.toFixed(1)} ${row.unit} vs ${row.peer} ${row.peerValue.toFixed(1)} ${row.unit}: ratio ${row.ratio.toFixed(2)} (goal ${row.goal})${row.pass ? ' PASS' : ' FAIL'}\n`,
    );
  }
}
