/**
 * The purchase flow end to end through `@apifault/client` against a real emulator: the walk
 * of test/helpers/purchase-walk.ts, with a client has to poll for provisioning, buying exactly
 * one order and one subscription, billed on this month's invoice and paged by continuation.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from '@apifault/client';
import { SEED_CUSTOMERS } from '@apifault/emulator';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';
import { purchases, purchaseWalk } from './helpers/purchase-walk.js';

let emu: TestEmulator;
let clock = Date.now();
/** Line items per subscription and invoice: the seeded six and the walk's one make 2 800. */
const LINES = 400;

before(async () => {
  emu = await startTestEmulator({
    now: () => new Date(clock),
    provisioningDelayMs: 5000,
    billing: { linesPerSubscription: LINES },
  });
});
after(() => emu.close());

describe('purchase walk through @apifault/client', () => {
  it('products → SKU → availability → cart → update → checkout twice → order → poll → PATCH → invoices → every line item', async () => {
    const token = await emu.token();
    const client = createClient({ baseUrl: emu.url, credential: () => token });
    const before = purchases(emu.emulator);
    const walk = await purchaseWalk(client, {
      customerId: SEED_CUSTOMERS.litware,
      // Provisioning takes 5 s of the emulator's clock: each poll moves it 2 s on.
      betweenPolls: () => {
        clock += 2000;
      },
    });
    assert.equal(walk.polls, 3, 'pending on the first three polls, fulfilled on the fourth');
    assert.equal(walk.subscription.quantity, 7);
    assert.equal(walk.subscription.autoRenewEnabled, false);
    assert.equal(walk.subscription.offerId, walk.catalogItemId);
    // This month's invoice bills the seeded subscriptions and the new one, 2 000 to a page.
    const { lineItems, pages } = walk.invoice;
    assert.equal(lineItems.length, 7 * LINES);
    assert.equal(pages, 2);
    assert.equal(new Set(lineItems.map((item) => item.referenceId)).size, lineItems.length);
    const bought = lineItems.filter((item) => item.subscriptionId === walk.subscriptionId);
    assert.equal(bought.length, LINES, "the purchase's lines, once");
    assert.ok(bought.every((item) => item.orderId === walk.orderId));
    assert.deepEqual(purchases(emu.emulator), {
      orders: before.orders + 1,
      subscriptions: before.subscriptions + 1,
    });
  });
});
