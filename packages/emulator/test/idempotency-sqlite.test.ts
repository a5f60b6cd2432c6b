/**
 * MS-RequestId on two real emulator processes (`apifault start`) sharing one SQLite file: 50
 * concurrent customer creations with one key across both create one customer; every answer
 * is the stored 201 or a 409 in progress, every repeat the same bytes; the key reused with
 * another body or path creates nothing; a process killed and started again still replays.
 */

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { SEED_CUSTOMERS } from '@apifault/emulator';
import Database from 'better-sqlite3';
import { tempDir } from './helpers/emulator.js';
import { type CliEmulator, startCli } from './helpers/reliability-cli.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One POST on its own connection, so the 50 are concurrent on the wire. */
function post(emu: CliEmulator, path: string, key: string, body: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${emu.url}${path}`,
      {
        method: 'POST',
        agent: false,
        headers: {
          authorization: `Bearer ${emu.token}`,
          'content-type': 'application/json',
          'ms-requestid': key,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** Rows of `table` in the database file, read by a connection of the test's own. */
function rows(file: string, table: 'customers' | 'orders'): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const customer = {
  companyProfile: { domain: 'relecloud.onmicrosoft.com', companyName: 'Relecloud' },
  billingProfile: { email: 'admin@relecloud.onmicrosoft.com' },
};

test('two emulator processes on one SQLite file: one MS-RequestId, 50 concurrent creations, one customer', async (t) => {
  const dir = tempDir('apifault-idem-');
  const file = join(dir, 'emulator.db');
  const started: CliEmulator[] = [];
  t.after(async () => {
    for (const emu of started) await emu.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async (): Promise<CliEmulator> => {
    const emu = await startCli(['--db', file]);
    started.push(emu);
    return emu;
  };
  // One after the other: the first creates and seeds the file the second opens.
  const a = await start();
  const b = await start();
  const customers = rows(file, 'customers');
  const orders = rows(file, 'orders');

  const answers = await Promise.all(
    Array.from({ length: 50 }, (_, i) => post(i % 2 ? b : a, '/v1/customers', 'one-key', customer)),
  );
  assert.equal(rows(file, 'customers'), customers + 1, 'the creation ran exactly once');
  const created = answers.filter((x) => x.status === 201);
  const waiting = answers.filter((x) => x.status === 409);
  assert.equal(created.length + waiting.length, 50, answers.map((x) => x.text).join('\n'));
  assert.ok(created.length >= 1);
  for (const x of waiting) {
    assert.match(x.text, /"code":"IdempotencyKeyInProgress"/);
    assert.equal(x.headers['retry-after'], '1');
  }
  const stored = created[0]!.text;
  for (const x of created) assert.equal(x.text, stored);

  // Completed: every repeat, on either process, is the stored answer.
  for (const emu of [a, b, a, b]) {
    const again = await post(emu, '/v1/customers', 'one-key', customer);
    assert.equal(again.status, 201);
    assert.equal(again.text, stored);
    assert.equal(again.headers['idempotent-replayed'], 'true');
  }

  // Reused for another body or path: 409, never a second resource.
  const otherBody = await post(a, '/v1/customers', 'one-key', {
    ...customer,
    companyProfile: { domain: 'contoso-pharma.onmicrosoft.com', companyName: 'Contoso Pharma' },
  });
  assert.equal(otherBody.status, 409);
  assert.match(otherBody.text, /"code":"IdempotencyKeyReused"/);
  assert.match(otherBody.text, /"data":\["body"\]/);
  const otherPath = await post(b, `/v1/customers/${SEED_CUSTOMERS.adatum}/orders`, 'one-key', {
    lineItems: [{ offerId: 'CFQ7TTC0LH18:0001', quantity: 1 }],
  });
  assert.equal(otherPath.status, 409);
  assert.match(otherPath.text, /"data":\["path","body"\]/);
  assert.equal(rows(file, 'customers'), customers + 1);
  assert.equal(rows(file, 'orders'), orders);

  // Durable: a process killed (SIGKILL) and started again on the file replays the same bytes.
  await a.kill();
  const c = await start();
  const afterRestart = await post(c, '/v1/customers', 'one-key', customer);
  assert.equal(afterRestart.status, 201);
  assert.equal(afterRestart.text, stored);
  assert.equal(rows(file, 'customers'), customers + 1);
});
