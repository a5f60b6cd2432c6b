/**
 * The packages as published: `npm pack` each workspace package, `npm install` the tarballs in
 * a scratch project outside the workspace, and run every README's example there, the
 * `apifault` commands included. A package that imports what it does not declare, or ships
 * without a file it runs, fails here. `npm run test:published` (part of `npm test`) runs it
 * on its own: npm install takes minutes, and Node 20's --test-timeout bounds each whole file.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
// TypeScript examples run through the workspace's tsx, without the `source` condition: the
// packages resolve to their published dist.
const TSX = import.meta.resolve('tsx');

/** The fenced blocks of a README in one language, in order. */
function examples(pkg: string, lang: string): string[] {
  const readme = readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)]
    .filter((match) => match[1] === lang)
    .map((match) => match[2] as string);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once `url` answers anything (bounded: 30 s). */
async function answers(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the example exited (${child.exitCode})`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`${url} did not answer within 30 s`);
}

describe('the published packages, installed from their tarballs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apifault-published-'));
  const project = join(dir, 'project');
  const children: ChildProcess[] = [];
  let file = 0;

  /** Writes `code` into the scratch project and runs it; resolves with its output. */
  async function runExample(code: string, ext: 'mjs' | 'ts', env = process.env) {
    const path = join(project, `example-${++file}.${ext}`);
    writeFileSync(path, code);
    const args = ext === 'ts' ? ['--import', TSX, path] : [path];
    return run(process.execPath, args, { cwd: project, env, timeout: 60_000 });
  }

  /** Starts `code` (a server example) in the scratch project; the caller stops it. */
  function startExample(code: string): ChildProcess {
    const path = join(project, `example-${++file}.ts`);
    writeFileSync(path, code);
    const child = spawn(process.execPath, ['--import', TSX, path], {
      cwd: project,
      stdio: 'ignore',
    });
    children.push(child);
    return child;
  }

  before(async () => {
    // The tarballs pack dist: build it (a no-op when `npm test` has just built it).
    await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b'], {
      cwd: root,
    });
    const { stdout } = await run(
      'npm',
      ['pack', '--workspaces', '--json', '--pack-destination', dir],
      { cwd: root, timeout: 120_000 },
    );
    const tarballs = (JSON.parse(stdout) as { filename: string }[]).map((t) =>
      join(dir, t.filename.replace(/^@/, '').replace('/', '-')),
    );
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'scratch', private: true, type: 'module' }),
    );
    // better-sqlite3 at the workspace's version, whose compiled binary is copied in below as a
    // prebuilt download would bring it: compiling it again takes minutes (npm ci's compile is
    // what CI's fresh clone exercises). Install scripts are off for that reason only.
    const sqlite = join(root, 'node_modules', 'better-sqlite3');
    const { version } = JSON.parse(readFileSync(join(sqlite, 'package.json'), 'utf8')) as {
      version: string;
    };
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--ignore-scripts',
        ...tarballs,
        `better-sqlite3@${version}`,
        // The frameworks the server README's examples use: its optional peer dependencies.
        'express@5',
        'fastify@5',
        'hono@4',
        '@hono/node-server@1',
      ],
      { cwd: project, timeout: 180_000 },
    );
    const binary = join('build', 'Release', 'better_sqlite3.node');
    mkdirSync(join(project, 'node_modules', 'better-sqlite3', 'build', 'Release'), {
      recursive: true,
    });
    copyFileSync(join(sqlite, binary), join(project, 'node_modules', 'better-sqlite3', binary));
  });

  after(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('contract: the README example', async () => {
    const [code] = examples('contract', 'js');
    const { stdout } = await runExample(code!, 'mjs');
    assert.match(stdout, /^404 \{/);
    assert.match(stdout, /\[ 'json-repaired'|code: '429'|Rate limit is exceeded/);
  });

  it('client: the README example', async () => {
    const [code] = examples('client', 'js');
    const { stdout } = await runExample(code!, 'mjs');
    assert.match(
      stdout.trim(),
      /^404 3000: Customer c1 was not found\. \(request [0-9a-f-]{36}\) NotFound$/,
    );
  });

  it('emulator: the README example', async () => {
    const [code] = examples('emulator', 'ts');
    const { stdout } = await runExample(code!, 'ts');
    assert.match(stdout, /^200 3\n404 \{/);
    assert.match(stdout, /code: '3000'/);
  });

  it('server: each README example that serves answers in the contract', async () => {
    const servers = examples('server', 'ts').filter((code) => /listen\(|serve\(/.test(code));
    assert.equal(servers.length, 4, 'node:http, Express, Fastify, Hono');
    for (const code of servers) {
      const port = await freePort();
      const child = startExample(code.replaceAll('8080', String(port)));
      const missing = `http://127.0.0.1:${port}/v1/nothing-here`;
      await answers(missing, child);
      const res = await fetch(missing);
      assert.equal(res.status, 404, code);
      const body = (await res.json()) as { code: unknown; source: unknown };
      assert.equal(body.source, 'PartnerFD', code);
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });

  it('apifault: the README example (npx apifault start, token, check), then conformance as a library', async () => {
    const port = String(await freePort());
    const script = examples('cli', 'sh').find((code) => code.includes('npx apifault start'));
    assert.ok(script);
    // In its own process group: the emulator it starts in the background outlives the script.
    const shell = spawn('bash', ['-e', '-c', script.replaceAll('8080', port)], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.push(shell);
    let stdout = '';
    let stderr = '';
    shell.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    shell.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => shell.kill('SIGKILL'), 120_000);
    const [code] = await once(shell, 'exit');
    clearTimeout(timer);
    process.kill(-shell.pid!, 'SIGTERM');
    shell.stdout?.destroy();
    shell.stderr?.destroy();
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.match(stdout, /apifault emulator listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(stdout, /^apifault check http:\/\/127\.0\.0\.1:\d+$/m);
    assert.match(stdout, /conforms/);
    const deadline = Date.now() + 5_000;
    while (
      Date.now() < deadline &&
      (await fetch(`http://127.0.0.1:${port}/`).then(
        () => true,
        () => false,
      ))
    )
      await new Promise((resolve) => setTimeout(resolve, 100));

    // The conformance README's library example, against `npx apifault start` as it says.
    const emulator = spawn('npx', ['apifault', 'start', '--port', port, '--quiet'], {
      cwd: project,
      stdio: 'ignore',
      detached: true,
    });
    children.push(emulator);
    try {
      await answers(`http://127.0.0.1:${port}/openapi.json`, emulator);
      // The dashboard's page and its compiled modules come from @apifault/dashboard's tarball.
      const host = await fetch(`http://127.0.0.1:${port}/_emulator/ui/host.json`);
      assert.equal(((await host.json()) as { name: string }).name, 'apifault emulator');
      for (const file of ['', 'ui/dashboard.css', 'ui/main.js', 'ui/traffic.js']) {
        const res = await fetch(`http://127.0.0.1:${port}/_emulator/${file}`);
        assert.equal(res.status, 200, `/_emulator/${file}`);
      }
      const token = (await run('npx', ['apifault', 'token'], { cwd: project })).stdout.trim();
      const [library] = examples('conformance', 'ts');
      const result = await runExample(library!.replaceAll('8080', port), 'ts', {
        ...process.env,
        APIFAULT_TOKEN: token,
      });
      assert.match(result.stdout, /conforms/);
    } finally {
      try {
        process.kill(-emulator.pid!, 'SIGTERM');
      } catch {
        // Gone already.
      }
    }
  });
});
