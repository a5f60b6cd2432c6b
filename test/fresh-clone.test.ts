/**
 * The root README's path, as a newcomer types it in a checkout: `npm start`, then
 * `npx apifault token` and `npx apifault check` with the token it printed, then a SIGTERM to
 * the `npm` process (a supervisor's), after which the port is free.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/** `npx apifault …` from `cwd`, as typed; resolves with the exit code and output. */
async function npxApifault(
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['apifault', ...args], { cwd, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

async function portFree(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Resolves with the URL and token of `npm start`'s banner (bounded: 90 s, the build included). */
async function banner(npm: ChildProcess): Promise<{ url: string; token: string }> {
  const lines = createInterface({ input: npm.stdout! });
  let stderr = '';
  npm.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start printed no banner: ${stderr}`)),
      90_000,
    );
    let url: string | undefined;
    lines.on('line', (line) => {
      url ??= /listening on (\S+)/.exec(line)?.[1];
      const token = /^\s*(eyJ[\w-]+\.[\w-]+\.[\w-]+)\s*$/.exec(line)?.[1];
      if (url && token) {
        clearTimeout(timer);
        resolve({ url, token });
      }
    });
    npm.once('exit', (code) => reject(new Error(`npm start exited (${code}): ${stderr}`)));
  });
}

describe("the root README's path in a checkout", () => {
  it('npm start; npx apifault token and check with the printed token; SIGTERM to npm frees the port', async () => {
    // Its own process group, so the cleanup can reach an orphaned emulator too. The port is
    // the one flag added: 8080 may be taken on a shared machine.
    const npm = spawn('npm', ['start', '--', '--port', '0', '--quiet'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const group = npm.pid!;
    try {
      const { url, token } = await banner(npm);

      // Another token, from a subdirectory: the database npm start used is found above it.
      const minted = await npxApifault(['token'], join(root, 'packages', 'emulator'));
      assert.equal(minted.code, 0, minted.stderr);
      const customers = await fetch(`${url}/v1/customers`, {
        headers: { authorization: `Bearer ${minted.stdout.trim()}` },
      });
      assert.equal(customers.status, 200);

      const check = await npxApifault(
        ['check', url, '--openapi', `${url}/openapi.json`, '--token', token],
        root,
      );
      assert.equal(check.code, 0, `${check.stdout}\n${check.stderr}`);
      assert.match(check.stdout, /^apifault check /);
      assert.match(check.stdout, /conforms/);

      npm.kill('SIGTERM');
      const port = Number(new URL(url).port);
      const deadline = Date.now() + 5_000;
      let free = await portFree(port);
      while (!free && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        free = await portFree(port);
      }
      assert.ok(free, `port ${port} still taken 5 s after SIGTERM to npm`);
    } finally {
      npm.stdout?.destroy();
      npm.stderr?.destroy();
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    }
  });
});
