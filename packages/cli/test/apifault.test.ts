/** The `apifault` command: one program whose `start` and `token` are the emulator's and whose `check` is the conformance checker's; its committed bin before and after a build. */

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SOURCE = fileURLToPath(new URL('../src/apifault.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/apifault.js', import.meta.url));
const NODE_ARGS = ['--conditions=source', '--import', import.meta.resolve('tsx'), SOURCE];

interface Exit {
  code: number;
  stdout: string;
  stderr: string;
}

async function apifault(args: string[], command = NODE_ARGS, cwd?: string): Promise<Exit> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...command, ...args], {
      timeout: 30_000,
      ...(cwd === undefined ? {} : { cwd }),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('apifault', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apifault-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('check runs the conformance checker and exits with its code', async () => {
    const port = await closedPort();
    const result = await apifault(['check', `http://127.0.0.1:${port}`, '--path', '/x']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^apifault check: .*cannot be reached: ECONNREFUSED/);
    const help = await apifault(['check', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: apifault check <baseUrl>/);
  });

  it('the help names the three commands; an unknown one is a usage error', async () => {
    const help = await apifault(['--help']);
    assert.equal(help.code, 0);
    for (const command of ['start', 'token', 'check'])
      assert.match(help.stdout, new RegExp(`^  apifault ${command} `, 'm'));
    const unknown = await apifault(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^apifault: unknown command "frobnicate"/);
  });

  it('proxy runs the proxy: its help, and a usage error exits 2', async () => {
    const help = await apifault(['proxy', '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: apifault proxy --upstream <url>/);
    const usage = await apifault(['proxy', '--upstream', 'ftp://127.0.0.1']);
    assert.equal(usage.code, 2);
    assert.match(
      usage.stderr,
      /^apifault proxy: --upstream must be an http:\/\/ or https:\/\/ URL/,
    );
  });

  it('token without a database exits 1 and says how to get one', async () => {
    const result = await apifault(['token'], NODE_ARGS, dir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no emulator database .*run "apifault start" first/);
  });

  it('the committed bin says how to build when nothing is built yet', async () => {
    // The bin as a fresh clone has it after `npm ci`: no dist beside it.
    const bin = join(dir, 'unbuilt', 'bin', 'apifault.js');
    mkdirSync(join(dir, 'unbuilt', 'bin'), { recursive: true });
    copyFileSync(BIN, bin);
    const result = await apifault(['--help'], [bin]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^apifault: not built yet\. .*"npm start".*"npm run build"/);
  });

  it('npx apifault start: a SIGTERM to the npx process stops the emulator and frees its port', async () => {
    // npm runs the command through `sh -c`, which dies without passing the signal on. The
    // built command, linked in the workspace, in its own process group for the cleanup.
    const npx = spawn('npx', ['apifault', 'start', '--port', '0', '--memory', '--quiet'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no banner within 30 s')), 30_000);
        createInterface({ input: npx.stdout! }).on('line', (line) => {
          const found = /listening on (\S+)/.exec(line)?.[1];
          if (found) {
            clearTimeout(timer);
            resolve(found);
          }
        });
        npx.once('exit', (code) => reject(new Error(`npx exited (${code})`)));
      });
      npx.kill('SIGTERM');
      const port = Number(new URL(url).port);
      const deadline = Date.now() + 5_000;
      let free = await portFree(port);
      while (!free && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        free = await portFree(port);
      }
      assert.ok(free, `port ${port} still taken 5 s after SIGTERM to npx`);
    } finally {
      npx.stdout?.destroy();
      try {
        process.kill(-npx.pid!, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    }
  });
});
