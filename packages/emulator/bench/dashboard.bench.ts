/**
 * The dashboard's cost: the emulator's throughput on GET customer by id with one dashboard
 * stream open and read (every exchange recorded and streamed), against the same emulator
 * with no page open, in paired rounds of one run.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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

function startChild(): Promise<{ child: ChildProcess; url: string; token: string }> {
  const child = spawn(
    process.execPath,
    [...CONDITIONS, '--import', 'tsx', join(here, 'emulator-child.ts')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const [word, url = '', token = ''] = line.split(' ');
      if (word === 'ready') resolve({ child, url, token });
      else reject(new Error(`unexpected: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`emulator-child exited (${code})`)));
  });
}

/** Opens the dashboard's stream and reads it until aborted; resolves with the bytes read. */
function openStream(url: string, signal: AbortSignal): Promise<number> {
  return (async () => {
    let bytes = 0;
    try {
      const res = await fetch(`${url}/_emulator/events`, { signal });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        bytes += value.length;
      }
    } catch {
      // aborted at the end of the round
    }
    return bytes;
  })();
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
  try {
    const target = `${emu.url}/v1/customers/${SEED_CUSTOMERS.adatum}`;
    const headers = { authorization: `Bearer ${emu.token}` };
    const watched = async (): Promise<number> => {
      const stop = new AbortController();
      const stream = openStream(emu.url, stop.signal);
      // Let the stream subscribe before the load starts.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const value = await rps(target, headers, seconds);
      stop.abort();
      if ((await stream) === 0) throw new Error('the dashboard stream sent nothing');
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
        goal: `≥ ${GOAL} of the peer (${spread})`,
        pass: ratio >= GOAL,
      },
    ];
  } finally {
    emu.child.kill('SIGKILL');
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await run({ quick: process.argv.includes('--quick') })) {
    process.stdout.write(
      `${row.name}: ${row.value.toFixed(1)} ${row.unit} vs ${row.peer} ${row.peerValue.toFixed(1)} ${row.unit}: ratio ${row.ratio.toFixed(2)} (goal ${row.goal})${row.pass ? ' PASS' : ' FAIL'}\n`,
    );
  }
}
