/** The CLI: `start` prints a token and three curl lines that work as printed, and the control token it generates; `token` mints for the same database. */

import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startEmulator } from '@apifault/emulator';
import { tempDir } from './helpers/emulator.js';

const run = promisify(execFile);
// The `apifault` command (packages/cli), from source.
const cli = fileURLToPath(new URL('../../cli/src/apifault.ts', import.meta.url));
// tsx by its full URL: some tests run the CLI from a directory outside the repository.
const NODE_ARGS = ['--conditions=source', '--import', import.meta.resolve('tsx'), cli];

/**
 * Spawns `apifault start` (or the command given) and collects its banner (everything before
 * the first log line).
 */
async function startCli(
  args: string[],
  command: string[] = [...NODE_ARGS, 'start'],
  env: NodeJS.ProcessEnv = process.env,
  cwd?: string,
): Promise<{ child: ChildProcess; banner: string[] }> {
  const child = spawn(process.execPath, [...command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
    ...(cwd === undefined ? {} : { cwd }),
  });
  const banner: string[] = [];
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      banner.push(line);
      if (line.startsWith('Dashboard')) resolve(); // the banner's last line
    });
    child.once('exit', (code) =>
      reject(new Error(`apifault start exited (${code}): ${banner.join('\n')}`)),
    );
  });
  return { child, banner };
}

describe('apifault CLI', () => {
  const dir = tempDir();
  const children: ChildProcess[] = [];
  after(() => {
    for (const child of children) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints three curl lines that answer as claimed when run in a shell', async () => {
    const db = join(dir, 'cli.db');
    const { child, banner } = await startCli(['--port', '0', '--db', db, '--quiet']);
    children.push(child);
    const curls = banner.map((l) => l.trim()).filter((l) => l.startsWith('curl '));
    assert.equal(curls.length, 3);

    const customers = JSON.parse((await run('sh', ['-c', curls[0] as string])).stdout) as {
      items: unknown[];
    };
    assert.equal(customers.items.length, 3);
    const subscriptions = JSON.parse((await run('sh', ['-c', curls[1] as string])).stdout) as {
      attributes: { objectType: string };
      items: unknown[];
    };
    assert.equal(subscriptions.attributes.objectType, 'Collection');
    assert.ok(subscriptions.items.length > 0);
    const notFound = (await run('sh', ['-c', curls[2] as string])).stdout;
    assert.match(notFound, /^HTTP\/1\.1 404 /);
    assert.match(notFound, /"code":"3000"/);

    const dashboard = /^Dashboard .*: (http\S+)$/.exec(banner.at(-1) ?? '')?.[1];
    assert.ok(dashboard, `no dashboard line: ${banner.join('\n')}`);
    const page = await fetch(dashboard);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    await page.arrayBuffer();
  });

  it('logs one JSON line per request and loses none when stopped by SIGTERM', async () => {
    const { child, banner } = await startCli(['--port', '0', '--memory', '--log', 'info']);
    children.push(child);
    const url = /listening on (\S+)/.exec(banner[0] ?? '')?.[1];
    const token = banner[2]?.trim();
    assert.ok(url && token);
    const paths = ['/v1/customers', '/v1/customers/00000000-0000-4000-8000-000000000000'];
    for (const path of paths) {
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
    }
    // Stop at once: every line must already be out.
    const closed = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    await closed;
    const logged = banner
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { path: string; status: number; requestId?: string });
    assert.deepEqual(
      logged.map((line) => [line.path, line.status]),
      [
        [paths[0], 200],
        [paths[1], 404],
      ],
    );
    assert.ok(logged.every((line) => typeof line.requestId === 'string'));
  });

  it('npm start runs the emulator in its own process: a SIGTERM to it leaves nothing listening', async () => {
    const script = fileURLToPath(new URL('../../../scripts/start.mjs', import.meta.url));
    const { child, banner } = await startCli(['--port', '0', '--memory', '--quiet'], [script]);
    children.push(child);
    const url = /listening on (\S+)/.exec(banner.join('\n'))?.[1];
    assert.ok(url);
    assert.equal((await fetch(`${url}/openapi.json`)).status, 200);
    // 'exit', not 'close': an orphaned child would keep the output pipe open.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    child.stdout?.destroy();
    child.stderr?.destroy();
    // A CLI run as a child of the script would outlive it and still answer here.
    await assert.rejects(fetch(`${url}/openapi.json`), TypeError);
  });

  it('token mints a token the emulator on the same database accepts', async () => {
    const db = join(dir, 'token.db');
    const { child, banner } = await startCli(['--port', '0', '--db', db, '--quiet']);
    children.push(child);
    const url = /listening on (\S+)/.exec(banner[0] ?? '')?.[1];
    assert.ok(url);
    const { stdout } = await run(process.execPath, [
      ...NODE_ARGS,
      'token',
      '--db',
      db,
      '--roles',
      'AdminAgent',
    ]);
    const token = stdout.trim();
    const res = await fetch(`${url}/v1/customers`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
  });

  it('token run in a subdirectory finds the database start created above it; with none, it exits 1 and creates nothing', async () => {
    const project = join(dir, 'project');
    const nested = join(project, 'src', 'deep');
    mkdirSync(nested, { recursive: true });
    const { child, banner } = await startCli(
      ['--port', '0', '--quiet'],
      undefined,
      process.env,
      project,
    );
    children.push(child);
    const url = /listening on (\S+)/.exec(banner[0] ?? '')?.[1];
    assert.ok(url);
    const { stdout } = await run(process.execPath, [...NODE_ARGS, 'token'], { cwd: nested });
    const res = await fetch(`${url}/v1/customers`, {
      headers: { authorization: `Bearer ${stdout.trim()}` },
    });
    assert.equal(res.status, 200);
    assert.ok(!existsSync(join(nested, '.apifault')), 'no second database');

    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    await assert.rejects(
      run(process.execPath, [...NODE_ARGS, 'token'], { cwd: elsewhere }),
      (error: { code?: number; stderr?: string }) =>
        error.code === 1 && /no emulator database/.test(error.stderr ?? ''),
    );
    assert.ok(!existsSync(join(elsewhere, '.apifault')), 'no database created');
  });

  it('loads rules from --faults and --fault, with --seed', async () => {
    const file = join(dir, 'faults.json');
    writeFileSync(
      file,
      JSON.stringify({ rules: [{ method: 'GET', path: '/v1/customers/*', action: 404 }] }),
    );
    const { child, banner } = await startCli([
      '--port',
      '0',
      '--memory',
      '--quiet',
      '--seed',
      '3',
      '--faults',
      file,
      '--fault',
      'GET /v1/customers=503',
    ]);
    children.push(child);
    const url = /listening on (\S+)/.exec(banner[0] ?? '')?.[1];
    const state = (await (await fetch(`${url}/_emulator/faults`)).json()) as {
      seed: number;
      rules: { path: string }[];
    };
    assert.equal(state.seed, 3);
    assert.deepEqual(
      state.rules.map((r) => r.path),
      ['/v1/customers/*', '/v1/customers'],
    );
    const res = await fetch(`${url}/v1/customers`);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '1');
  });

  it('check delegates to @apifault/conformance and the emulator conforms', async () => {
    const emu = await startEmulator({ memory: true, port: 0, log: false });
    try {
      const token = await emu.token();
      const { stdout } = await run(process.execPath, [
        ...NODE_ARGS,
        'check',
        emu.url,
        '--openapi',
        `${emu.url}/openapi.json`,
        '--token',
        token,
        '--only',
        'unknown-path,wrong-method,not-acceptable,no-credentials,stale-if-match',
      ]);
      assert.match(stdout, /conforms/);
      assert.match(stdout, /stale-if-match/);
    } finally {
      await emu.close();
    }
  });

  it('--control-token and APIFAULT_CONTROL_TOKEN make /_emulator/* require it; the banner does not echo it', async () => {
    const given = 'cli-control-token-7d1f';
    const starts = [
      startCli(['--port', '0', '--memory', '--quiet', '--control-token', given]),
      startCli(['--port', '0', '--memory', '--quiet'], undefined, {
        ...process.env,
        APIFAULT_CONTROL_TOKEN: given,
      }),
    ];
    for (const started of starts) {
      const { child, banner } = await started;
      children.push(child);
      const url = /listening on (\S+)/.exec(banner[0] ?? '')?.[1];
      assert.ok(banner.some((line) => line.includes('/_emulator/* requires the control token')));
      assert.ok(!banner.some((line) => line.includes(given)), 'the token is not printed');
      const without = await fetch(`${url}/_emulator/faults`);
      assert.equal(without.status, 401);
      assert.equal(without.headers.get('www-authenticate'), 'OAuth realm=urn:cpsvc:cpid:apifault');
      const withToken = await fetch(`${url}/_emulator/faults`, {
        headers: { authorization: `Bearer ${given}` },
      });
      assert.equal(withToken.status, 200);
    }
  });

  it('listening beyond loopback without a control token, start generates one and prints it', async () => {
    const { child, banner } = await startCli([
      '--port',
      '0',
      '--memory',
      '--quiet',
      '--host',
      '0.0.0.0',
    ]);
    children.push(child);
    const port = /listening on http:\/\/0\.0\.0\.0:(\d+)/.exec(banner[0] ?? '')?.[1];
    assert.ok(port, banner[0]);
    const at = banner.findIndex((line) => line.startsWith('Control token for /_emulator/*'));
    const token = banner[at + 1]?.trim() ?? '';
    assert.match(token, /^[A-Za-z0-9_-]{43}$/, banner.join('\n'));
    const url = `http://127.0.0.1:${port}`;
    assert.equal((await fetch(`${url}/_emulator/faults`)).status, 401);
    const ok = await fetch(`${url}/_emulator/faults`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(ok.status, 200);
    // The partner token and the curl lines are printed as before.
    assert.equal(banner.filter((line) => line.trimStart().startsWith('curl ')).length, 3);
  });

  it('refuses a control token that cannot be sent, and more than 100 fault rules, with exit code 2', async () => {
    await assert.rejects(
      run(process.execPath, [...NODE_ARGS, 'start', '--memory', '--control-token', 'two words']),
      (error: { code?: number; stderr?: string }) =>
        error.code === 2 && /--control-token/.test(error.stderr ?? ''),
    );
    const faults = Array.from({ length: 101 }, (_, i) => ['--fault', `/v1/r${i}=503`]).flat();
    await assert.rejects(
      run(process.execPath, [...NODE_ARGS, 'start', '--memory', ...faults]),
      (error: { code?: number; stderr?: string }) =>
        error.code === 2 && /at most 100/.test(error.stderr ?? ''),
    );
  });

  it('refuses a malformed fault rule with exit code 2', async () => {
    await assert.rejects(
      run(process.execPath, [...NODE_ARGS, 'start', '--memory', '--fault', 'GET /v1=banana']),
      (error: { code?: number; stderr?: string }) =>
        error.code === 2 && /unknown action/.test(error.stderr ?? ''),
    );
  });
});
