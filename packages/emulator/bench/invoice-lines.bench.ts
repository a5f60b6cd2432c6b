/**
 * Paging every line item of a 10 000-line invoice through the HTTP API (links.next and
 * MS-ContinuationToken, 2 000 a page), in items per second, against reading the same rows
 * straight from the SQLite file with better-sqlite3, page by page, in the same run.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OTHER_PARTNER, startEmulator } from '@apifault/emulator';
import Database from 'better-sqlite3';
import type { BenchRow } from '../../../scripts/bench.js';
import { LINE_PAGE_SQL } from '../src/store/invoices.js';

/** The least share of SQLite's own read rate the HTTP API must reach. */
const GOAL = 0.5;
const PAGE = 2000;
// The other seeded partner has one customer with two subscriptions: 2 × 5 000 lines.
const LINES_PER_SUBSCRIPTION = 5000;

interface Page {
  items: unknown[];
  links: { next?: { uri: string; headers: { key: string; value: string }[] } };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Runs the benchmark; `quick` makes it one short round. */
export async function run({ quick = false }: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'apifault-bench-invoices-'));
  const file = join(dir, 'emulator.db');
  const emu = await startEmulator({
    db: file,
    port: 0,
    log: false,
    rateLimit: false,
    billing: { linesPerSubscription: LINES_PER_SUBSCRIPTION },
  });
  const reader = new Database(file, { readonly: true });
  try {
    const headers = { authorization: `Bearer ${await emu.token(OTHER_PARTNER)}` };
    const list = (await (await fetch(`${emu.url}/v1/invoices`, { headers })).json()) as {
      items: { id: string }[];
    };
    const invoiceId = list.items[0]?.id as string;
    const page = reader.prepare(LINE_PAGE_SQL);

    const viaHttp = async (): Promise<number> => {
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
    reader.close();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await run({ quick: process.argv.includes('--quick') });
  for (const row of rows) {
    process.stdout.write(
      `${row.name}: ${Math.round(row.value)} ${row.unit}; ${row.peer}: ${Math.round(row.peerValue)}; ratio ${row.ratio.toFixed(2)}\n`,
    );
  }
}
