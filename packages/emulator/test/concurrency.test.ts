/** 50 concurrent PATCHes carrying one ETag: the compare-and-set lets exactly one through. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SEED_CUSTOMERS } from '@apifault/emulator';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';

interface Subscription {
  id: string;
  quantity: number;
  attributes: { etag: string };
}

describe('concurrent updates with the same ETag', () => {
  let emu: TestEmulator;
  before(async () => {
    emu = await startTestEmulator({ rateLimit: false });
  });
  after(() => emu.close());

  it('exactly 1 of 50 succeeds, 49 get 412, the stored quantity is the winner', async () => {
    const headers = {
      authorization: `Bearer ${await emu.token()}`,
      'content-type': 'application/json',
    };
    const base = `${emu.url}/v1/customers/${SEED_CUSTOMERS.adatum}/subscriptions`;
    const list = (await (await fetch(base, { headers })).json()) as { items: Subscription[] };
    const sub = list.items[0] as Subscription;
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${base}/${sub.id}`, {
          method: 'PATCH',
          headers: { ...headers, 'if-match': `"${sub.attributes.etag}"` },
          // Increases only: decreases are refused by the business rules before any write.
          body: JSON.stringify({ quantity: sub.quantity + 1 + i }),
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as Subscription })),
      ),
    );
    const winners = responses.filter((r) => r.status === 200);
    const losers = responses.filter((r) => r.status === 412);
    assert.equal(winners.length, 1);
    assert.equal(losers.length, 49);
    const stored = (await (await fetch(`${base}/${sub.id}`, { headers })).json()) as Subscription;
    assert.equal(stored.quantity, winners[0]?.body.quantity);
    assert.equal(stored.attributes.etag, winners[0]?.body.attributes.etag);
  });
});
