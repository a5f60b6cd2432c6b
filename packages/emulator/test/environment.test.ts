/**
 * `apifault` reads its settings from the environment too (APIFAULT_PORT, APIFAULT_DB,
 * APIFAULT_LOG, APIFAULT_TLS, …): a flag given wins, and a malformed value exits 1 naming the
 * variable.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from './helpers/emulator.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../cli/src/apifault.ts', import.meta.url));
const NODE_ARGS = ['--conditions=source', '--import', import.meta.resolve('tsx'), cli];

/** The environment without any APIFAULT_ variable of the caller's, plus `vars`. */
function envWith(vars: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('APIFAULT_')),
  );
  return { ...env, ...vars };
}

/** A port free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs `apifault <args>` to its end: exit code and stderr. */
async function runCli(
  args: string[],
  vars: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...NODE_ARGS, ...args], {
      env: envWith(vars),
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Spawns `apifault start` with `vars`; resolves with its banner once the curl lines are out. */
async function startCli(
  args: string[],
  vars: Record<string, string>,
): Promise<{ child: ChildProcess; lines: string[] }> {
  const child = spawn(process.execPath, [...NODE_ARGS, 'start', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: envWith(vars),
  });
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (lines.filter((l) => l.trimStart().startsWith('curl ')).length === 3) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${lines.join('\n')}`)));
  });
  return { child, lines };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('apifault settings from the environment', () => {
  const dir = tempDir();
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('listens on APIFAULT_PORT and APIFAULT_HOST, uses APIFAULT_DB, logs at APIFAULT_LOG', async () => {
    const port = await freePort();
    const db = join(dir, 'env.db');
    const { child, lines } = await startCli([], {
      APIFAULT_PORT: String(port),
      APIFAULT_HOST: '127.0.0.1',
      APIFAULT_DB: db,
      APIFAULT_LOG: 'info',
    });
    try {
      assert.match(
        lines[0] ?? '',
        new RegExp(`listening on http://127\\.0\\.0\\.1:${port} \\(database ${db}\\)`),
      );
      const res = await fetch(`http://127.0.0.1:${port}/openapi.json`);
      await res.arrayBuffer();
      // At info, the 200 is logged.
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(lines.some((l) => l.startsWith('{') && l.includes('"/openapi.json"')));
      // `token` finds the database through APIFAULT_DB too, from another directory.
      const minted = await runCli(['token'], { APIFAULT_DB: db });
      assert.equal(minted.code, 0, minted.stderr);
      const customers = await fetch(`http://127.0.0.1:${port}/v1/customers`, {
        headers: { authorization: `Bearer ${minted.stdout.trim()}` },
      });
      assert.equal(customers.status, 200);
    } finally {
      await stop(child);
    }
  });

  it('lets a flag win over its variable, and --memory over APIFAULT_DB', async () => {
    const { child, lines } = await startCli(['--port', '0', '--memory', '--log', 'silent'], {
      APIFAULT_PORT: '1',
      APIFAULT_DB: join(dir, 'never.db'),
      APIFAULT_LOG: 'debug',
    });
    await stop(child);
    assert.match(lines[0] ?? '', /listening on http:\/\/127\.0\.0\.1:\d+ \(database in memory\)/);
    assert.doesNotMatch(lines[0] ?? '', /:1 /);
  });

  it('exits 1 naming a malformed variable', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ APIFAULT_PORT: '70000' }, /APIFAULT_PORT=70000: must be an integer 0–65535/],
      [
        { APIFAULT_LOG: 'loud' },
        /APIFAULT_LOG=loud: must be one of silent, error, warn, info, debug/,
      ],
      [
        { APIFAULT_TLS: 'maybe' },
        /APIFAULT_TLS=maybe: must be 1, true, yes, on, or 0, false, no, off/,
      ],
      [{ APIFAULT_CERT: join(dir, 'none.pem') }, /APIFAULT_CERT=.*none\.pem: names no file/],
      [{ APIFAULT_REDIS: 'localhost:6379' }, /APIFAULT_REDIS=localhost:6379: must be a redis:\/\//],
    ];
    // No --port: APIFAULT_PORT is read; every case fails before listening.
    const results = await Promise.all(cases.map(([vars]) => runCli(['start', '--memory'], vars)));
    for (const [i, [vars, message]] of cases.entries()) {
      const result = results[i]!;
      assert.equal(result.code, 1, JSON.stringify(vars));
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /Usage:/);
    }
  });
});
