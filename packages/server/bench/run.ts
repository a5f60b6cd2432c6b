/** `npm run bench -w @apifault/server [-- --quick]`: runs every bench/*.bench.ts of this package and prints ratios. */

import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchRow, printRows, type RunOptions } from './load.js';

const dir = fileURLToPath(new URL('.', import.meta.url));

/** Runs every benchmark of @apifault/server and returns all rows. */
export async function run(options: RunOptions = {}): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.bench.ts')) continue;
    const mod = (await import(pathToFileURL(dir + name).href)) as {
      run?: (o: RunOptions) => Promise<BenchRow[]>;
    };
    if (typeof mod.run !== 'function') continue;
    process.stderr.write(`bench: ${name}\n`);
    rows.push(...(await mod.run(options)));
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await run({ quick: process.argv.includes('--quick') });
  printRows(rows);
}
