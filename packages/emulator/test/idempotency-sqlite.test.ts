/**
 * The emulator's SQLite idempotency store under `@apifault/server`'s stage: two processes on
 * one SQLite file, 50 concurrent POSTs with one key, run the handler once; a key reused with
 * another body or path creates nothing; a restart keeps the stored answer.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function post(url: string, key: string, body: string, path = '/v1/orders'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'ms-requestid': key },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function spawnServer(db: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'test/fixtures/idempotency-sqlite-server.ts'],
    { cwd: packageRoot, env: { ...process.env, IDEM_DB: db }, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error('server process did not start')), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) {
        clearTimeout(timer);
        resolve((JSON.parse(output.split('\n')[0]!) as { url: string }).url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server process exited with ${code}`));
    });
  });
  return { url, stop };
}

test('two processes on one SQLite file: one key, 50 concurrent POSTs, one run', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'apifault-idem-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'emulator.db');
  const runs = (): number => {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM test_runs').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  // The first process creates the schema before the second opens the file.
  const a = await spawnServer(file);
  const b = await spawnServer(file);
  try {
    const servers = [a, b];
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post(servers[i % 2]!.url, 'one-key', '{"item":"a"}')),
    );
    assert.equal(runs(), 1);
    const created = answers.filter((x) => x.status === 201);
    const waiting = answers.filter((x) => x.status === 409);
    assert.equal(created.length + waiting.length, 50);
    for (const x of waiting) assert.match(x.text, /IdempotencyKeyInProgress/);
    const first = created[0]!;
    for (const x of created) assert.equal(x.text, first.text);
    for (let i = 0; i < 6; i++) {
      const again = await post(servers[i % 2]!.url, 'one-key', '{"item":"a"}');
      assert.equal(again.status, 201);
      assert.equal(again.text, first.text);
      assert.equal(again.headers['idempotent-replayed'], 'true');
    }
    // Reused for another body or path: refused, never a second resource.
    const otherBody = await post(a.url, 'one-key', '{"item":"b"}');
    const otherPath = await post(b.url, 'one-key', '{"item":"a"}', '/v1/orders/copy');
    assert.equal(otherBody.status, 409);
    assert.match(otherBody.text, /"data":\["body"\]/);
    assert.equal(otherPath.status, 409);
    assert.match(otherPath.text, /"data":\["path"\]/);
    assert.equal(runs(), 1);
    // Durable: a restarted process replays the same bytes.
    await a.stop();
    const c = await spawnServer(file);
    servers[0] = c;
    const afterRestart = await post(c.url, 'one-key', '{"item":"a"}');
    assert.equal(afterRestart.text, first.text);
    assert.equal(runs(), 1);
    await c.stop();
  } finally {
    await a.stop();
    await b.stop();
  }
});
