/** Billing: invoices generated from the orders, their line items paged by continuation token, and every documented refusal from its real cause. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateErrorBody } from '@apifault/contract';
import { OTHER_PARTNER, SEED_CUSTOMERS, SEED_PARTNER } from '@apifault/emulator';
import { generateInvoices } from '../src/billing/generate.js';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';

interface Link {
  uri: string;
  method: string;
  headers: { key: string; value: string }[];
}
interface Collection {
  totalCount: number;
  items: Record<string, unknown>[];
  links: { self: Link; next?: Link };
  continuationToken?: string;
  attributes: { objectType: string };
}

interface Invoice {
  id: string;
  invoiceDate: string;
  billingPeriodStartDate: string;
  billingPeriodEndDate: string;
  currencyCode: string;
  totalCharges: unknown;
  attributes: { objectType: string };
  links: { self: Link };
  invoiceDetails: { billingProvider: string; attributes: { objectType: string } }[];
}

const LINES = 7;
const START = new Date('2026-03-10T12:00:00Z');

describe('invoices and their line items', () => {
  let emu: TestEmulator;
  let headers: Record<string, string>;
  let clock = START;
  let invoiceId: string;

  const get = async (path: string, extra: Record<string, string> = {}) => {
    const response = await fetch(`${emu.url}${path}`, { headers: { ...headers, ...extra } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const lineItems = (id: string, query: string, extra: Record<string, string> = {}) =>
    get(`/v1/invoices/${id}/lineitems?${query}`, extra);
  const expect400 = async (
    promise: Promise<{ status: number; body: Record<string, unknown> }>,
    says: RegExp,
  ) => {
    const { status, body } = await promise;
    assert.equal(status, 400);
    assert.deepEqual(validateErrorBody(body), []);
    assert.equal(body.code, '800002');
    assert.match(String(body.description), says);
  };
  const pageAll = async (id: string, size: number) => {
    const items: Record<string, unknown>[] = [];
    let page = (
      await lineItems(id, `provider=onetime&invoicelineitemtype=billinglineitems&size=${size}`)
    ).body as unknown as Collection;
    items.push(...page.items);
    let pages = 1;
    while (page.links.next) {
      const next = page.links.next;
      assert.equal(next.headers[0]?.key, 'MS-ContinuationToken');
      assert.equal(next.headers[0]?.value, page.continuationToken);
      const answer = await get(next.uri, { [next.headers[0]!.key]: next.headers[0]!.value });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      page = answer.body as unknown as Collection;
      items.push(...page.items);
      pages++;
    }
    return { items, pages };
  };

  before(async () => {
    emu = await startTestEmulator({ now: () => clock, billing: { linesPerSubscription: LINES } });
    headers = { authorization: `Bearer ${await emu.token()}` };
    const list = (await get('/v1/invoices')).body as unknown as Collection;
    invoiceId = String(list.items[0]?.id);
  });
  after(() => emu.close());

  it("lists one invoice per month from the first order through this month, newest first, in Partner Center's shape", async () => {
    const { status, body } = await get('/v1/invoices');
    assert.equal(status, 200);
    const list = body as unknown as Collection;
    assert.equal(list.attributes.objectType, 'Collection');
    // The seeded orders are 30 days old: February and March.
    assert.equal(list.totalCount, 2);
    const [march, february] = list.items as unknown as Invoice[];
    assert.equal(march?.invoiceDate, '2026-03-01T00:00:00Z');
    assert.equal(march?.billingPeriodEndDate, '2026-03-31T00:00:00Z');
    assert.equal(february?.billingPeriodStartDate, '2026-02-01T00:00:00Z');
    assert.match(String(march?.id), /^G2603\d{5}$/);
    assert.deepEqual(march?.attributes, { objectType: 'Invoice' });
    assert.deepEqual(march?.links.self, {
      uri: `/v1/invoices/${march?.id}`,
      method: 'GET',
      headers: [],
    });
    assert.equal(march?.currencyCode, 'USD');
    assert.equal(typeof march?.totalCharges, 'number');
    assert.deepEqual(march?.invoiceDetails[0]?.attributes, { objectType: 'InvoiceDetail' });
    assert.equal(march?.invoiceDetails[0]?.billingProvider, 'OneTime');
    const one = await get(`/v1/invoices/${march?.id}`);
    assert.deepEqual(one.body, march);
  });

  it('pages invoices by size and offset', async () => {
    const first = (await get('/v1/invoices?size=1')).body as unknown as Collection;
    assert.equal(first.totalCount, 1);
    assert.equal(first.links.next?.uri, '/v1/invoices?size=1&offset=1');
    const second = (await get(first.links.next!.uri)).body as unknown as Collection;
    assert.equal(second.totalCount, 1);
    assert.equal(second.links.next, undefined);
    assert.notEqual(second.items[0]?.id, first.items[0]?.id);
  });

  it('pages every line item of an invoice once, following links.next and MS-ContinuationToken', async () => {
    const { items, pages } = await pageAll(invoiceId, 4);
    // The seeded partner: three customers with two subscriptions each.
    assert.equal(items.length, 6 * LINES);
    assert.equal(pages, Math.ceil((6 * LINES) / 4));
    assert.equal(new Set(items.map((item) => item.referenceId)).size, items.length);
    const first = items[0] as Record<string, unknown>;
    assert.deepEqual(first.attributes, { objectType: 'OneTimeInvoiceLineItem' });
    assert.equal(first.invoiceNumber, invoiceId);
    assert.equal(first.partnerId, SEED_PARTNER);
    assert.equal(first.invoiceLineItemType, 'billing_line_items');
    assert.equal(first.billingProvider, 'one_time');
    assert.deepEqual(first.productQualifiers, []);
    for (const name of [
      'customerId',
      'subscriptionId',
      'orderId',
      'productId',
      'skuId',
      'chargeStartDate',
      'unitPrice',
      'quantity',
      'subtotal',
      'totalForCustomer',
    ]) {
      assert.ok(name in first, name);
    }
    const customers = new Set(items.map((item) => item.customerId));
    assert.deepEqual(
      [...customers].sort(),
      [SEED_CUSTOMERS.adatum, SEED_CUSTOMERS.litware, SEED_CUSTOMERS.northwind].sort(),
    );
    // The line items come from the orders: each subscription of the partner is billed.
    const subscriptions = await get(`/v1/customers/${SEED_CUSTOMERS.adatum}/subscriptions`);
    for (const subscription of (subscriptions.body as unknown as Collection).items) {
      assert.equal(items.filter((item) => item.subscriptionId === subscription.id).length, LINES);
    }
    const total = items.reduce((sum, item) => sum + Number(item.totalForCustomer), 0);
    const invoice = (await get(`/v1/invoices/${invoiceId}`)).body;
    assert.equal(invoice.totalCharges, Math.round(total * 100) / 100);
  });

  it('answers the same page by the path form, and the last page without links.next', async () => {
    const query = await lineItems(
      invoiceId,
      'provider=OneTime&invoiceLineItemType=BillingLineItems&size=50',
    );
    const path = await get(`/v1/invoices/${invoiceId}/lineitems/OneTime/BillingLineItems?size=50`);
    assert.deepEqual(path.body.items, query.body.items);
    assert.equal((query.body as unknown as Collection).links.next, undefined);
    assert.equal(query.body.continuationToken, undefined);
    assert.equal(query.body.totalCount, 6 * LINES);
  });

  it('answers the legacy providers and usage line items with an empty collection', async () => {
    for (const query of [
      'provider=office&invoicelineitemtype=billinglineitems&size=10&offset=0',
      'provider=azure&invoicelineitemtype=billinglineitems',
      'provider=onetime&invoicelineitemtype=usagelineitems',
    ]) {
      const { status, body } = await lineItems(invoiceId, query);
      assert.equal(status, 200, query);
      assert.equal(body.totalCount, 0);
      assert.deepEqual(body.items, []);
    }
  });

  it('refuses a missing or unknown provider or type, and a size outside 1–2000', async () => {
    await expect400(
      lineItems(invoiceId, 'invoicelineitemtype=billinglineitems'),
      /provider is required/,
    );
    await expect400(lineItems(invoiceId, 'provider=onetime'), /invoiceLineItemType is required/);
    await expect400(
      lineItems(invoiceId, 'provider=paypal&invoicelineitemtype=billinglineitems'),
      /provider paypal is not one of/,
    );
    await expect400(
      lineItems(invoiceId, 'provider=onetime&invoicelineitemtype=lines'),
      /invoiceLineItemType lines/,
    );
    await expect400(
      lineItems(invoiceId, 'provider=onetime&invoicelineitemtype=billinglineitems&size=0'),
      /size must be/,
    );
    await expect400(
      lineItems(invoiceId, 'provider=onetime&invoicelineitemtype=billinglineitems&size=2001'),
      /size must be/,
    );
    await expect400(
      lineItems(invoiceId, 'provider=onetime&invoicelineitemtype=billinglineitems&offset=4'),
      /offset paging does not apply/,
    );
    await expect400(get('/v1/invoices?size=0'), /size must be/);
    await expect400(get('/v1/invoices?offset=-1'), /offset must be/);
  });

  it('refuses seekOperation without a token, or other than Next', async () => {
    await expect400(
      get(`/v1/invoices/${invoiceId}/lineitems/OneTime/BillingLineItems?seekOperation=Next`),
      /needs the MS-ContinuationToken/,
    );
    await expect400(
      get(`/v1/invoices/${invoiceId}/lineitems/OneTime/BillingLineItems?seekOperation=Previous`),
      /seekOperation Previous is not supported/,
    );
  });

  it("answers 404 for an unknown invoice and for another partner's", async () => {
    const unknown = await get('/v1/invoices/G000000000');
    assert.equal(unknown.status, 404);
    assert.deepEqual(validateErrorBody(unknown.body), []);
    assert.equal(unknown.body.code, '1000');
    assert.match(String(unknown.body.description), /Invoice G000000000 was not found/);
    const other = { authorization: `Bearer ${await emu.token(OTHER_PARTNER)}` };
    const theirs = await get(`/v1/invoices/${invoiceId}`, other);
    assert.equal(theirs.status, 404);
    const lines = await lineItems(
      invoiceId,
      'provider=onetime&invoicelineitemtype=billinglineitems',
      other,
    );
    assert.equal(lines.status, 404);
  });

  describe('continuation tokens', () => {
    const firstPage = async (id: string) =>
      (await lineItems(id, 'provider=onetime&invoicelineitemtype=billinglineitems&size=5'))
        .body as unknown as Collection;
    const nextWith = (id: string, token: string) =>
      get(`/v1/invoices/${id}/lineitems/OneTime/BillingLineItems?seekOperation=Next&size=5`, {
        'MS-ContinuationToken': token,
      });

    it('refuses a token that is not one the emulator issued, or was altered', async () => {
      await expect400(nextWith(invoiceId, 'not-a-token'), /not a token this service issued/);
      const token = String((await firstPage(invoiceId)).continuationToken);
      const [payload, signature] = token.split('.') as [string, string];
      // Move the cursor back to 0 by rewriting the payload: the signature no longer matches.
      const forged = Buffer.from(
        Buffer.from(payload, 'base64url').toString().replace(/,5,/, ',0,'),
      ).toString('base64url');
      assert.notEqual(forged, payload);
      await expect400(nextWith(invoiceId, `${forged}.${signature}`), /altered/);
      const flipped = `${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
      await expect400(nextWith(invoiceId, flipped), /altered/);
      assert.equal((await nextWith(invoiceId, token)).status, 200);
    });

    it('refuses a token of another invoice, provider or type', async () => {
      const list = (await get('/v1/invoices')).body as unknown as Collection;
      const other = String(list.items[1]?.id);
      const token = String((await firstPage(other)).continuationToken);
      await expect400(nextWith(invoiceId, token), /another invoice/);
    });

    it('refuses a token after 15 minutes', async () => {
      const token = String((await firstPage(invoiceId)).continuationToken);
      clock = new Date(START.getTime() + 14 * 60_000);
      assert.equal((await nextWith(invoiceId, token)).status, 200);
      clock = new Date(START.getTime() + 16 * 60_000);
      await expect400(nextWith(invoiceId, token), /expired/);
      clock = START;
    });

    it('refuses a token of an invoice since generated again from new orders, which bill the new subscription', async () => {
      const token = String((await firstPage(invoiceId)).continuationToken);
      const created = await fetch(`${emu.url}/v1/customers/${SEED_CUSTOMERS.adatum}/orders`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ lineItems: [{ offerId: 'CFQ7TTC0LH18:0001', quantity: 3 }] }),
      });
      assert.equal(created.status, 201);
      const order = (await created.json()) as { lineItems: { subscriptionId: string }[] };
      await expect400(nextWith(invoiceId, token), /earlier version/);
      const { items } = await pageAll(invoiceId, 2000);
      assert.equal(items.length, 7 * LINES);
      const added = items.filter(
        (item) => item.subscriptionId === order.lineItems[0]?.subscriptionId,
      );
      assert.equal(added.length, LINES);
      assert.equal(added[0]?.chargeType, 'new');
      assert.equal(added[0]?.quantity, '3');
    });
  });
});

describe('invoice generation', () => {
  const subscription = {
    id: 's1',
    orderId: 'o1',
    orderDate: '2026-01-15T10:00:00.000Z',
    offerId: 'CFQ7TTC0LH18:0001',
    friendlyName: 'Microsoft 365 Business Basic',
    quantity: 10,
    billingCycle: 'monthly',
    createdAt: '2026-01-15T10:00:00.000Z',
    customerId: 'c1',
    customerName: 'Adatum',
    customerDomainName: 'adatum.onmicrosoft.com',
    customerCountry: 'US',
  };

  it('gives the same invoices, ids and amounts for the same orders and month', () => {
    const source = {
      partnerTenantId: SEED_PARTNER,
      subscriptions: [subscription],
      now: new Date('2026-03-02T00:00:00Z'),
      linesPerSubscription: 3,
    };
    const first = generateInvoices(source);
    assert.deepEqual(generateInvoices(source), first);
    assert.deepEqual(
      first.map((invoice) => invoice.invoiceDate),
      ['2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'],
    );
    // January bills part of the month as `new`, February the whole month as `cycleCharge`.
    assert.equal(first[0]?.lines[0]?.chargeType, 'new');
    assert.equal(first[0]?.lines[0]?.chargeStartDate, '2026-01-15T00:00:00Z');
    assert.equal(first[1]?.lines[0]?.chargeType, 'cycleCharge');
    assert.ok(Number(first[0]?.lines[0]?.subtotal) < Number(first[1]?.lines[0]?.subtotal));
    assert.equal(generateInvoices({ ...source, subscriptions: [] }).length, 0);
  });
});
