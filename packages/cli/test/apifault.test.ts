/** The `apifault` command: one program whose `start` and `token` are the emulator's and whose `check` is the conformance checker's; its committed bin before and after a build. */

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SOURCE = fileURLToPath(new URL('../src/apifault.ts', import.meta.url));
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
    const unknown = await apifault(['proxy']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^apifault: unknown command "proxy"/);
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
});
