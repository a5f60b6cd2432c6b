/** The SQLite store: WAL, migrations by user_version, seed once, data across restarts, compare-and-set. */

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SEED_CUSTOMERS, startEmulator } from '@apifault/emulator';
import Database from 'better-sqlite3';
import { tempDir } from './helpers/emulator.js';

describe('store', () => {
  const dir = tempDir();
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a WAL database with a schema version, seeds once, and keeps data across restarts', async () => {
    const file = join(dir, 'nested', 'emu.db');
    const first = await startEmulator({ db: file, port: 0, log: false });
    const token = await first.token();
    const created = await fetch(`${first.url}/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        companyProfile: { domain: 'wingtip.onmicrosoft.com', companyName: 'Wingtip' },
        billingProfile: { email: 'a@wingtip.onmicrosoft.com' },
      }),
    });
    assert.equal(created.status, 201);
    const id = ((await created.json()) as { id: string }).id;
    await first.close();

    const db = new Database(file, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('user_version', { simple: true }), 2);
    assert.equal((db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n, 5);
    db.close();

    // A token minted before the restart still verifies: the secret lives in the database.
    const second = await startEmulator({ db: file, port: 0, log: false });
    try {
      const res = await fetch(`${second.url}/v1/customers/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 200);
      assert.equal(second.emulator.store.countCustomers(), 5, 'not seeded twice');
    } finally {
      await second.close();
    }
  });

  it('pages customers with MS-ContinuationToken and links.next', async () => {
    const emu = await startEmulator({ memory: true, port: 0, log: false });
    try {
      const headers = { authorization: `Bearer ${await emu.token()}` };
      const seen: string[] = [];
      let continuation: string | undefined;
      for (let page = 0; page < 5; page++) {
        const res = await fetch(`${emu.url}/v1/customers?size=2`, {
          headers: continuation ? { ...headers, 'ms-continuationtoken': continuation } : headers,
        });
        const body = (await res.json()) as {
          items: { id: string }[];
          continuationToken?: string;
          links: { next?: { headers: { key: string; value: string }[] } };
        };
        seen.push(...body.items.map((c) => c.id));
        continuation = body.continuationToken;
        assert.equal(body.links.next?.headers[0]?.value, continuation);
        if (!continuation) break;
      }
      assert.deepEqual(seen, [
        SEED_CUSTOMERS.adatum,
        SEED_CUSTOMERS.litware,
        SEED_CUSTOMERS.northwind,
      ]);
      const bad = await fetch(`${emu.url}/v1/customers`, {
        headers: { ...headers, 'ms-continuationtoken': '!!' },
      });
      assert.equal(bad.status, 400);
    } finally {
      await emu.close();
    }
  });
});
