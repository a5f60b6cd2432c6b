/** kill -9 during a burst of order creations: the database is intact and every 201'd order is there. */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SEED_CUSTOMERS, startEmulator } from '@apifault/emulator';
import Database from 'better-sqlite3';
import { tempDir } from './helpers/emulator.js';

const script = fileURLToPath(new URL('./helpers/order-burst.ts', import.meta.url));

function startChild(file: string) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<{ url: string; token: string }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      const [word, url, token] = line.split(' ');
      if (word === 'ready' && url && token) resolve({ url, token });
      else reject(new Error(`unexpected child output: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
  });
  return { child, ready };
}

describe('crash safety', () => {
  const dir = tempDir();
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged order across kill -9', async () => {
    const file = join(dir, 'crash.db');
    const { child, ready } = startChild(file);
    const { url, token } = await ready;
    const acknowledged: string[] = [];
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const body = JSON.stringify({ lineItems: [{ offerId: 'CFQ7TTC0LH18:0001', quantity: 2 }] });
    let killed = false;
    const worker = async () => {
      while (!killed) {
        try {
          const res = await fetch(`${url}/v1/customers/${SEED_CUSTOMERS.adatum}/orders`, {
            method: 'POST',
            headers,
            body,
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    // Kill once a good number of orders are in, bounded in time either way.
    const deadline = Date.now() + 5000;
    while (acknowledged.length < 150 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    killed = true;
    await exited;
    await Promise.all(workers);
    assert.ok(acknowledged.length > 0, 'some orders were acknowledged before the kill');

    const db = new Database(file);
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const has = db.prepare<[string], { id: string }>('SELECT id FROM orders WHERE id = ?');
      const missing = acknowledged.filter((id) => has.get(id) === undefined);
      assert.deepEqual(missing, []);
      const lines = db
        .prepare(
          'SELECT count(*) AS n FROM order_line_items l JOIN subscriptions s ON s.id = l.subscription_id',
        )
        .get() as { n: number };
      const orphans = db
        .prepare(
          'SELECT count(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_line_items l WHERE l.order_id = o.id)',
        )
        .get() as { n: number };
      assert.equal(orphans.n, 0, 'every order has its line items (one transaction)');
      assert.ok(lines.n >= acknowledged.length);
    } finally {
      db.close();
    }

    // And the emulator starts again on the same file, data intact.
    const again = await startEmulator({ db: file, port: 0, log: false });
    try {
      const res = await fetch(`${again.url}/v1/customers/${SEED_CUSTOMERS.adatum}/orders`, {
        headers: { authorization: `Bearer ${await again.token()}` },
      });
      const list = (await res.json()) as { items: { id: string }[] };
      const ids = new Set(list.items.map((o) => o.id));
      assert.ok(acknowledged.every((id) => ids.has(id)));
    } finally {
      await again.close();
    }
  });
});
