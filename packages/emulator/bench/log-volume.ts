/**
 * How many bytes the request log writes under load at each level: `apifault start --log
 * <level>` under autocannon for a bounded time (default 5 s, 10 connections) on loopback,
 * each connection cycling through ten GETs of the customers list, one of them with
 * `X-Apifault-Force-Status: 503`, under the default rate limit (so after the first 1 000
 * points of a window, 429s). Prints one row per level: requests by class, lines, bytes.
 *
 *   node --conditions=source --import tsx packages/emulator/bench/log-volume.ts [seconds]
 */

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LOG_LEVELS } from '@apifault/emulator';
import autocannon from 'autocannon';

const seconds = Math.min(Math.max(Number(process.argv[2] ?? 5), 1), 30);
const cli = fileURLToPath(new URL('../../cli/src/apifault.ts', import.meta.url));

async function measure(level: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      cli,
      'start',
      '--memory',
      '--port',
      '0',
      '--log',
      level,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const banner: string[] = [];
  let bytes = 0;
  let lines = 0;
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (banner.filter((l) => l.trimStart().startsWith('curl ')).length < 3) {
        banner.push(line);
        if (banner.filter((l) => l.trimStart().startsWith('curl ')).length === 3) resolve();
        return;
      }
      lines += 1;
      bytes += Buffer.byteLength(line) + 1;
    });
    child.once('exit', (code) => reject(new Error(`apifault start exited ${code}`)));
  });
  const url = /listening on (\S+)/.exec(banner[0] ?? '')?.[1] ?? '';
  const token = banner[2]?.trim() ?? '';
  const result = await autocannon({
    url: `${url}/v1/customers`,
    connections: 10,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
    requests: Array.from({ length: 10 }, (_, i) =>
      i === 9 ? { headers: { 'x-apifault-force-status': '503' } } : {},
    ),
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  const statuses = `2xx ${result['2xx']}, 4xx ${result['4xx']}, 5xx ${result['5xx']}`;
  return `| ${level.padEnd(6)} | ${String(result.requests.total).padStart(8)} (${statuses}) | ${String(lines).padStart(7)} | ${String(bytes).padStart(11)} |`;
}

console.log(
  `Request log under ${seconds} s of load (10 connections, GET /v1/customers, 1 in 10 forced 503)`,
);
console.log('| level  | requests | lines | bytes |');
for (const level of LOG_LEVELS) console.log(await measure(level));
