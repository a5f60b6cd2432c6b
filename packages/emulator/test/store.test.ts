/** The SQLite store: WAL, migrations by user_version, seed once, data across restarts, compare-and-set. */

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SEED_CUSTOMERS, SEED_PARTNER, startEmulator } from '@apifault/emulator';
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
    // Every migration applied: the seeded catalog (step 3) is there.
    assert.ok((db.pragma('user_version', { simple: true }) as number) >= 3);
    const catalog = db.prepare('SELECT count(*) AS n FROM catalog_products').get() as { n: number };
    assert.equal(catalog.n, 5);
    assert.equal((db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n, 5);
    db.close();

    // A token minted before the restart still verifies: the secret lives in the database.
    const second = await startEmulator({ db: file, port: 0, log: false });
    try {
      const res = await fetch(`${second.url}/v1/customers/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 200);
      assert.equal(second.emulator.store.customers.count(), 5, 'not seeded twice');
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

  it('a customer another process sharing the file creates is found, and read again answers the same bytes', async () => {
    const file = join(dir, 'shared.db');
    const a = await startEmulator({ db: file, port: 0, log: false });
    const b = await startEmulator({ db: file, port: 0, log: false, seed: false });
    try {
      const token = await a.token();
      const id = '0b7a9f6e-1c2d-4e3f-8a9b-0c1d2e3f4a5b';
      const get = () =>
        fetch(`${a.url}/v1/customers/${id}`, { headers: { authorization: `Bearer ${token}` } });
      // Not found, then found once another connection creates it.
      assert.equal((await get()).status, 404);
      b.emulator.store.customers.create({
        id,
        partnerTenantId: SEED_PARTNER,
        domain: 'shared.onmicrosoft.com',
        companyName: 'Shared',
        billingProfile: {
          firstName: 'Ana',
          lastName: 'Lee',
          email: 'ana@shared.onmicrosoft.com',
          culture: 'en-US',
          language: 'en',
          companyName: 'Shared',
          defaultAddress: { country: 'US' },
        },
      });
      const first = await get();
      assert.equal(first.status, 200);
      const firstBody = await first.text();
      const again = await get();
      assert.equal(await again.text(), firstBody, 'a second read answers the same bytes');
      assert.equal(again.headers.get('etag'), first.headers.get('etag'));
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('a name is stored exactly as answered: a lone surrogate is a 400, a surrogate pair round-trips', async () => {
    const emu = await startEmulator({ memory: true, port: 0, log: false });
    try {
      const headers = {
        authorization: `Bearer ${await emu.token()}`,
        'content-type': 'application/json',
      };
      const create = (companyName: string, domain: string) =>
        fetch(`${emu.url}/v1/customers`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            companyProfile: { domain, companyName },
            billingProfile: { email: `a@${domain}` },
          }),
        });
      const refused = await create('Lone \ud800 half', 'lone.onmicrosoft.com');
      assert.equal(refused.status, 400);
      const body = (await refused.json()) as { data?: { field: string }[] };
      assert.deepEqual(
        body.data?.map((d) => d.field),
        ['companyProfile.companyName'],
      );
      const name = 'Emoji \u{1F600} Ltd';
      const created = await create(name, 'emoji.onmicrosoft.com');
      assert.equal(created.status, 201);
      const { id } = (await created.json()) as { id: string };
      const read = await fetch(`${emu.url}/v1/customers/${id}`, { headers });
      const stored = (await read.json()) as { companyProfile: { companyName: string } };
      assert.equal(stored.companyProfile.companyName, name);
    } finally {
      await emu.close();
    }
  });
});
