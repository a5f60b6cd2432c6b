/**
 * Paging every line item of a 10 000-line invoice through the HTTP API (links.next and
 * MS-ContinuationToken, pages of the documented maximum, 2 000, as a real client asks), in
 * items per second, against reading the same rows straight from the SQLite file with
 * better-sqlite3, page by page, in the same run. The emulator runs in a child process, so
 * the client's fetch and JSON parsing here do not share its thread. `--cpu-prof` (run
 * directly) writes the child's CPU profile to the working directory.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { BenchRow } from '../../../scripts/bench.js';
import { LINE_ITEM_PAGE_SIZE } from '../src/resources/invoices.js';
import { LINE_PAGE_SQL } from '../src/store/invoices.js';

/** The least share of SQLite's own read rate the HTTP API must reach. */
const GOAL = 0.5;
const PAGE = LINE_ITEM_PAGE_SIZE;
const here = fileURLToPath(new URL('.', import.meta.url));
// Measure the built emulator (what `npm start` runs) when it is built, else its source.
const CONDITIONS = existsSync(join(here, '..', 'dist', 'index.js')) ? [] : ['--conditions=source'];
// The other seeded partner has one customer with two subscriptions: 2 × 5 000 lines.
const LINES_PER_SUBSCRIPTION = 5000;

interface Page {
  items: unknown[];
  links: { next?: { uri: string; headers: { key: string; value: string }[] } };
}

/** Starts the emulator child on `file`; resolves with its URL and token once it listens. */
function startChild(
  file: string,
  profile: boolean,
): Promise<{ child: ChildProcess; url: string; token: string }> {
  const child = spawn(
    process.execPath,
    [
      ...(profile ? ['--cpu-prof'] : []),
      ...CONDITIONS,
      '--import',
      'tsx',
      join(here, 'invoice-child.ts'),
      file,
      String(LINES_PER_SUBSCRIPTION),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const [word, url, token] = line.split(' ');
      if (word === 'ready' && url && token) resolve({ child, url, token });
      else reject(new Error(`unexpected: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`invoice-child.ts exited (${code})`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Runs the benchmark; `quick` makes it one short round. */
export async function run({
  quick = false,
  profile = false,
}: {
  quick?: boolean;
  profile?: boolean;
} = {}): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'apifault-bench-invoices-'));
  const file = join(dir, 'emulator.db');
  const emu = await startChild(file, profile);
  let reader: Database.Database | undefined;
  try {
    const headers = { authorization: `Bearer ${emu.token}` };
    const list = (await (await fetch(`${emu.url}/v1/invoices`, { headers })).json()) as {
      items: { id: string }[];
    };
    const invoiceId = list.items[0]?.id as string;
    // Opened once the emulator has generated the invoice (its first listing above).
    reader = new Database(file, { readonly: true });
    const page = reader.prepare(LINE_PAGE_SQL);

    const viaHttp = async (): Promise<number> => {
      // One turn of the event loop first: a keep-alive socket the emulator closed while the
      // synchronous SQLite reads held this thread is seen closed, not written to.
      await new Promise((resolve) => setImmediate(resolve));
      let count = 0;
      let next: string | undefined =
        `/v1/invoices/${invoiceId}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&size=${PAGE}`;
      let extra: Record<string, string> = {};
      while (next !== undefined) {
        const body = (await (
          await fetch(emu.url + next, { headers: { ...headers, ...extra } })
        ).json()) as Page;
        count += body.items.length;
        const link = body.links.next;
        next = link?.uri;
        extra = link ? { [link.headers[0]!.key]: link.headers[0]!.value } : {};
      }
      return count;
    };
    const viaSqlite = (): number => {
      let count = 0;
      for (;;) {
        const rows = page.all(invoiceId, count, PAGE);
        count += rows.length;
        if (rows.length < PAGE) return count;
      }
    };

    const rounds = quick ? 1 : 7;
    const repeats = quick ? 2 : 5;
    const http: number[] = [];
    const sqlite: number[] = [];
    await viaHttp();
    viaSqlite();
    for (let round = 0; round < rounds; round++) {
      let started = performance.now();
      let items = 0;
      for (let i = 0; i < repeats; i++) items += await viaHttp();
      http.push(items / ((performance.now() - started) / 1000));
      started = performance.now();
      items = 0;
      for (let i = 0; i < repeats; i++) items += viaSqlite();
      sqlite.push(items / ((performance.now() - started) / 1000));
    }
    if ((await viaHttp()) !== 2 * LINES_PER_SUBSCRIPTION)
      throw new Error('the invoice does not hold 10 000 line items');
    const value = median(http);
    const peerValue = median(sqlite);
    const ratio = value / peerValue;
    return [
      {
        name: 'page all line items of a 10 000-line invoice (HTTP, 2 000 a page)',
        value,
        unit: 'items/s',
        peer: 'the same rows read from SQLite (better-sqlite3)',
        peerValue,
        ratio,
        goal: `≥ ${GOAL} of the peer`,
        pass: ratio >= GOAL,
      },
    ];
  } finally {
    reader?.close();
    await stop(emu.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await run({
    quick: process.argv.includes('--quick'),
    profile: process.argv.includes('--cpu-prof'),
  });
  for (const row of rows) {
    process.stdout.write(
      `${row.name}: ${Math.round(row.value)} ${row.unit}; ${row.peer}: ${Math.round(row.peerValue)}; ratio ${row.ratio.toFixed(2)}\n`,
    );
  }
}
