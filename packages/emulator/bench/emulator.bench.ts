/**
 * The emulator's throughput on GET customer by id and on the 404 path, against a bare
 * node:http server answering the same bytes; both in child processes, autocannon here.
 */

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SEED_CUSTOMERS } from '@apifault/emulator';
import autocannon from 'autocannon';
import type { BenchRow } from '../../../scripts/bench.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/**
 * The least share of the bare server's throughput the emulator must reach on both rows, every
 * request taking the server's ordinary pipeline (issue "One request pipeline").
 */
const GOAL = 0.4;
// Measure the built emulator (what `npm start` runs) when it is built, else its source.
const BUILT = existsSync(join(here, '..', 'dist', 'index.js'));
const CONDITIONS = BUILT ? [] : ['--conditions=source'];

function spawnChild(
  script: string,
  args: string[] = [],
): Promise<{ child: ChildProcess; words: string[] }> {
  const child = spawn(
    process.execPath,
    [...CONDITIONS, '--import', 'tsx', join(here, script), ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const words = line.split(' ');
      if (words[0] === 'ready') resolve({ child, words });
      else reject(new Error(`unexpected: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve();
    else {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    }
  });
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** What one loaded run of a server measured. */
interface Sample {
  /** Requests per second the load generator saw. */
  rps: number;
  /** The server's CPU time (user + system) per request, in µs. */
  cpuUs: number;
}

/** Loads `url` for `seconds`: throughput, and the CPU time process `pid` spent per request. */
async function measure(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  pid: number,
): Promise<Sample> {
  const before = cpuMs(pid);
  const result = await autocannon({
    url,
    connections: 32,
    pipelining: 1,
    duration: seconds,
    headers,
    // autocannon stops at its next sample tick: 1 s by default, which would round every run
    // up to whole seconds.
    sampleInt: 100,
  });
  const used = cpuMs(pid) - before;
  if (result.requests.total === 0) throw new Error(`no answer from ${url}`);
  return {
    // Samples are 100 ms long: the rate is the total over the run's real duration.
    rps: result.duration > 0 ? result.requests.total / result.duration : 0,
    cpuUs: (used * 1000) / result.requests.total,
  };
}

/** Resident set size of a process, in MiB (Linux /proc, else `ps`). */
function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    if (kib > 0) return kib / 1024;
  } catch {
    // not Linux: ask ps
  }
  return (
    Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) /
    1024
  );
}

async function send(url: string, headers: Record<string, string>, amount: number): Promise<void> {
  await autocannon({ url, connections: 32, amount, headers });
}

/**
 * Memory growth under load (issue 8): RSS of a fresh emulator after `many` requests against
 * after 1 000, mixing a hit and a 404, so a leak per request shows as a ratio above 1.
 */
async function memoryRow(many: number): Promise<BenchRow> {
  const emu = await spawnChild('emulator-child.ts');
  try {
    const [, url = '', token = ''] = emu.words;
    const headers = { authorization: `Bearer ${token}` };
    const hit = `${url}/v1/customers/${SEED_CUSTOMERS.adatum}`;
    const miss = `${url}/v1/customers/00000000-0000-4000-8000-000000000000`;
    await send(hit, headers, 500);
    await send(miss, headers, 500);
    const pid = emu.child.pid as number;
    const after1k = rssMiB(pid);
    await send(hit, headers, (many - 1000) / 2);
    await send(miss, headers, (many - 1000) / 2);
    const afterMany = rssMiB(pid);
    return {
      name: `emulator: RSS after ${many.toLocaleString('en-US')} requests`,
      value: afterMany,
      unit: 'MiB',
      peer: 'the same process after 1,000 requests',
      peerValue: after1k,
      ratio: afterMany / after1k,
      goal: '≤ 1.5 × (no growth per request)',
      pass: afterMany / after1k <= 1.5,
    };
  } finally {
    await stop(emu.child);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Runs the benchmark; `quick` makes it one short round.
 *
 * Each round loads the emulator and the bare server back to back on one path, in an order
 * that reverses every round, and the ratio held to the goal is the median of the rounds'
 * own ratios. This machine's speed moves by a third within seconds (both servers and the
 * load generator together), so the two sides of a round, measured under the same
 * conditions, are compared with each other rather than with medians over other rounds.
 */
export async function run({ quick = false }: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const seconds = quick ? 0.5 : 1.5;
  const rounds = quick ? 1 : 10;
  const dir = mkdtempSync(join(tmpdir(), 'apifault-bench-'));
  const children: ChildProcess[] = [];
  try {
    const emu = await spawnChild('emulator-child.ts');
    children.push(emu.child);
    const [, emuUrl = '', token = ''] = emu.words;
    const headers = { authorization: `Bearer ${token}` };
    const paths = {
      'GET customer by id': `/v1/customers/${SEED_CUSTOMERS.adatum}`,
      'GET unknown customer (404)': '/v1/customers/00000000-0000-4000-8000-000000000000',
    };
    // Capture the emulator's exact answers so the bare server sends the same bytes.
    const canned: Record<
      string,
      { status: number; headers: Record<string, string>; body: string }
    > = {};
    for (const path of Object.values(paths)) {
      const res = await fetch(`${emuUrl}${path}`, { headers });
      const copied: Record<string, string> = {};
      for (const [name, value] of res.headers) {
        if (
          !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(
            name,
          )
        )
          copied[name] = value;
      }
      canned[path] = { status: res.status, headers: copied, body: await res.text() };
    }
    const cannedFile = join(dir, 'canned.json');
    writeFileSync(cannedFile, JSON.stringify(canned));
    const bare = await spawnChild('bare-child.ts', [cannedFile]);
    children.push(bare.child);
    const bareUrl = bare.words[1] ?? '';
    const emuPid = emu.child.pid as number;
    const barePid = bare.child.pid as number;
    const sides = {
      emulator: (path: string, s = seconds) => measure(`${emuUrl}${path}`, headers, s, emuPid),
      bare: (path: string, s = seconds) => measure(`${bareUrl}${path}`, headers, s, barePid),
    };

    // Warm both servers up (JIT, caches) on every path before anything is measured.
    for (const path of Object.values(paths)) {
      await sides.emulator(path, 1);
      await sides.bare(path, 1);
    }
    const rows: BenchRow[] = [];
    for (const [name, path] of Object.entries(paths)) {
      const mine: Sample[] = [];
      const peer: Sample[] = [];
      for (let round = 0; round < rounds; round++) {
        if (round % 2 === 0) {
          mine.push(await sides.emulator(path));
          peer.push(await sides.bare(path));
        } else {
          peer.push(await sides.bare(path));
          mine.push(await sides.emulator(path));
        }
      }
      /** Round by round, `metric` of the emulator over the bare server's. */
      const paired = (metric: (s: Sample) => number): number[] =>
        mine.map((s, r) => metric(s) / metric(peer[r] as Sample));
      const cpu = median(mine.map((m) => m.cpuUs));
      const peerCpu = median(peer.map((m) => m.cpuUs));
      if (Number.isFinite(cpu) && Number.isFinite(peerCpu)) {
        rows.push({
          name: `emulator: ${name}, server CPU per request`,
          value: cpu,
          unit: 'µs',
          peer: 'bare node:http, same bytes',
          peerValue: peerCpu,
          // Lower is better: the peer's CPU over the emulator's.
          ratio: median(paired((s) => 1 / s.cpuUs)),
          goal: 'informational (peer CPU / emulator CPU)',
        });
      }
      const ratios = paired((s) => s.rps);
      const ratio = median(ratios);
      const spread =
        rounds === 1
          ? 'one round'
          : `median of ${rounds} paired rounds, ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
      rows.push({
        name: `emulator: ${name}`,
        value: median(mine.map((m) => m.rps)),
        unit: 'req/s',
        peer: 'bare node:http, same bytes',
        peerValue: median(peer.map((m) => m.rps)),
        ratio,
        goal: `≥ ${GOAL} of the peer (${spread})`,
        pass: ratio >= GOAL,
      });
    }
    rows.push(await memoryRow(quick ? 5_000 : 100_000));
    return rows;
  } finally {
    await Promise.all(children.map(stop));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await run({ quick: process.argv.includes('--quick') });
  for (const row of rows) {
    process.stdout.write(
      `${row.name}: ${row.value.toFixed(1)} ${row.unit} vs ${row.peer} ${row.peerValue.toFixed(1)} ${row.unit}: ratio ${row.ratio.toFixed(2)} (goal ${row.goal})${row.pass === undefined ? '' : row.pass ? ' PASS' : ' FAIL'}\n`,
    );
  }
}
