/**
 * The root README's path, as a newcomer types it in a checkout: `npm start`, then
 * `npx apifault token` and `npx apifault check` with the token it printed, then a SIGTERM to
 * the `npm` process (a supervisor's), after which the port is free. And the proxy README's
 * first example, run by a shell as it is written there.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
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

/** A port nobody listens on at the moment. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Polls until `check` is true; false once `ms` have passed. */
async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
      const free = await eventually(() => portFree(port), 5_000);
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

/** The first `sh` block of a README after `heading`. */
async function shellBlock(readme: string, heading: string): Promise<string> {
  const text = await readFile(join(root, readme), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(text.indexOf(heading)))?.[1];
  assert.ok(block, `${readme} has no sh block after ${heading}`);
  return block;
}

describe("the proxy README's example in a checkout", () => {
  it('the emulator and the proxy in front of it, started by a shell as written; SIGTERM writes the JUnit file', async () => {
    // The ports are the one change: 8080 and 8081 may be taken on a shared machine.
    const [emulatorPort, proxyPort] = [await freePort(), await freePort()];
    const written = await shellBlock('packages/proxy/README.md', '## The command');
    assert.match(written, /--port 8080 &\n/);
    const script = written
      .replaceAll('8080', String(emulatorPort))
      .replace('--upstream', `--port ${proxyPort} --upstream`);
    // A folder inside the checkout, where npx finds the command and the JUnit file lands.
    const cwd = await mkdtemp(join(root, '.readme-proxy-'));
    const shell = spawn('bash', ['-c', `${script}\nwait`], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    for (const stream of [shell.stdout, shell.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
    }
    const group = shell.pid!;
    try {
      const proxy = `http://127.0.0.1:${proxyPort}`;
      const answer = async () => {
        try {
          return await fetch(`${proxy}/v1/customers`);
        } catch {
          return undefined;
        }
      };
      // The proxy may be up before the emulator (502 until it is). Then the emulator's 401
      // comes through (no token), or the rule's 503 (p=0.5), each with a contract body.
      const statuses = new Set<number>();
      await eventually(async () => {
        const res = await answer();
        if (res === undefined) return false;
        const body = (await res.json()) as { description?: unknown };
        assert.ok(typeof body.description === 'string' && body.description !== '');
        if (res.status !== 502) statuses.add(res.status);
        return statuses.size === 2;
      }, 60_000);
      assert.deepEqual(
        [...statuses].sort(),
        [401, 503],
        `forwarded 401s and injected 503s: ${output}`,
      );
      const dashboard = /dashboard .* at (http\S+)/.exec(output)?.[1];
      assert.equal(dashboard, `${proxy}/_emulator/`, output);
      const page = await fetch(dashboard);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<html/);

      process.kill(-group, 'SIGTERM');
      // 'close': once every process of the group has let go of the output, the proxy too.
      await new Promise((resolve) => shell.once('close', resolve));
      const junit = join(cwd, 'proxy.xml');
      assert.ok(existsSync(junit), `no proxy.xml: ${output}`);
      assert.match(await readFile(junit, 'utf8'), /^<\?xml[\s\S]*<testsuite/);
      assert.match(output, /upstream error answers? checked: 0 errors/);
    } finally {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
