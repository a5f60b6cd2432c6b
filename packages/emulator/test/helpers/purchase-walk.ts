/**
 * The purchase walk through `@apifault/client`, as a CSP integration makes it: list products →
 * SKU → availability → create cart → update it → check out (twice: the same result) → order →
 * poll its provisioning status → PATCH the subscription → invoices → page every line item of
 * the newest invoice (the one the purchase is billed on). One function, so fault variants run
 * the same walk and check with {@link purchases} that nothing was bought twice.
 */

import assert from 'node:assert/strict';
import type { Client } from '@apifault/client';
import type { Emulator } from '@apifault/emulator';
import { LINE_ITEM_PAGE_SIZE } from '../../src/resources/invoices.js';

/** What the walk bought and saw, for assertions. */
export interface WalkResult {
  catalogItemId: string;
  cartId: string;
  /** The first checkout's answer, and the second's (equal). */
  checkouts: [unknown, unknown];
  orderId: string;
  subscriptionId: string;
  /** Provisioning polls made before the order was fulfilled. */
  polls: number;
  /** The subscription after the PATCH. */
  subscription: Record<string, unknown>;
  /** The newest invoice, paged through. */
  invoice: {
    id: string;
    /** Every line item, each page's in order. */
    lineItems: LineItem[];
    pages: number;
  };
}

/** The members of a billing line item the walk reads. */
export interface LineItem {
  subscriptionId: string;
  orderId: string;
  referenceId: string;
}

/** Options of {@link purchaseWalk}. */
export interface WalkOptions {
  /** The customer who buys. */
  customerId: string;
  /** Called between provisioning polls (sleep, or advance a test clock). */
  betweenPolls: () => Promise<void> | void;
  /** Most polls before giving up. @default 50 */
  maxPolls?: number;
  /** Line items per page. @default 2000, the documented maximum, as a real client asks */
  pageSize?: number;
}

interface Link {
  uri: string;
  headers: { key: string; value: string }[];
}

interface Collection<T> {
  totalCount: number;
  items: T[];
  links?: { next?: Link };
}

interface Availability {
  catalogItemId: string;
  terms: { duration: string; billingCycle: string }[];
}

interface Order {
  id: string;
  status: string;
  lineItems: { subscriptionId: string; quantity: number }[];
}

/** Walks the purchase flow; asserts each step's documented shape on the way. */
export async function purchaseWalk(client: Client, options: WalkOptions): Promise<WalkResult> {
  const customer = `/v1/customers/${options.customerId}`;
  const products = await client.get<Collection<{ id: string; title: string }>>('/v1/products', {
    query: { country: 'US', targetView: 'OnlineServices' },
  });
  const product = products.data.items.find((item) => item.title === 'Microsoft 365 Business Basic');
  assert.ok(product, 'Business Basic is in the catalog');
  const skus = await client.get<Collection<{ id: string; minimumQuantity: number }>>(
    `/v1/products/${product.id}/skus`,
    { query: { country: 'US' } },
  );
  const sku = skus.data.items[0];
  assert.ok(sku);
  const availabilities = await client.get<Collection<Availability>>(
    `/v1/products/${product.id}/skus/${sku.id}/availabilities`,
    { query: { country: 'US' } },
  );
  const availability = availabilities.data.items[0];
  assert.ok(availability);
  const { catalogItemId } = availability;
  assert.ok(availability.terms.some((t) => t.duration === 'P1M' && t.billingCycle === 'Monthly'));

  const line = { id: 0, catalogItemId, quantity: 3, billingCycle: 'monthly', termDuration: 'P1M' };
  const created = await client.post<{ id: string; status: string }>(`${customer}/carts`, {
    body: { lineItems: [line] },
    idempotent: true,
  });
  assert.equal(created.status, 201);
  assert.equal(created.data.status, 'Active');
  const cartPath = `${customer}/carts/${created.data.id}`;
  const updated = await client.put<{ lineItems: { quantity: number }[] }>(cartPath, {
    body: { lineItems: [{ ...line, quantity: 5 }] },
    ifMatch: String(created.headers.get('etag')),
  });
  assert.equal(updated.data.lineItems[0]?.quantity, 5);

  const first = await client.post<{ orders: Order[] }>(`${cartPath}/checkout`, {
    idempotent: true,
  });
  const second = await client.post<{ orders: Order[] }>(`${cartPath}/checkout`, {
    idempotent: true,
  });
  assert.equal(first.status, 201);
  assert.deepEqual(second.data, first.data, 'a second checkout answers the first result');
  const orderId = first.data.orders[0]?.id;
  assert.ok(orderId);
  const order = await client.get<Order>(`${customer}/orders/${orderId}`);
  const subscriptionId = order.data.lineItems[0]?.subscriptionId;
  assert.ok(subscriptionId);

  let polls = 0;
  for (; polls < (options.maxPolls ?? 50); polls++) {
    const status = await client.get<Collection<{ status: string }>>(
      `${customer}/orders/${orderId}/provisioningstatus`,
    );
    if (status.data.items.every((item) => item.status === 'fulfilled')) break;
    await options.betweenPolls();
  }
  const completed = await client.get<Order>(`${customer}/orders/${orderId}`);
  assert.equal(completed.data.status, 'completed');

  const subscriptionPath = `${customer}/subscriptions/${subscriptionId}`;
  const current = await client.get<Record<string, unknown>>(subscriptionPath);
  // Safe to retry: MS-RequestId makes the emulator replay a PATCH it has already applied.
  const patched = await client.patch<Record<string, unknown>>(subscriptionPath, {
    body: { quantity: 7, autoRenewEnabled: false },
    ifMatch: String(current.headers.get('etag')),
    idempotent: true,
  });

  const invoices = await client.get<Collection<{ id: string }>>('/v1/invoices');
  const invoiceId = invoices.data.items[0]?.id;
  assert.ok(invoiceId, 'the purchase is billed on an invoice');
  const invoice = await client.get<{ id: string }>(`/v1/invoices/${invoiceId}`);
  assert.equal(invoice.data.id, invoiceId);
  const lineItems: LineItem[] = [];
  let page = await client.get<Collection<LineItem>>(`/v1/invoices/${invoiceId}/lineitems`, {
    query: {
      provider: 'OneTime',
      invoiceLineItemType: 'BillingLineItems',
      size: options.pageSize ?? LINE_ITEM_PAGE_SIZE,
    },
  });
  lineItems.push(...page.data.items);
  let pages = 1;
  // The next page: links.next's URI with the MS-ContinuationToken header it names.
  for (let next = page.data.links?.next; next; next = page.data.links?.next) {
    page = await client.get<Collection<LineItem>>(next.uri, {
      headers: Object.fromEntries(next.headers.map((h) => [h.key, h.value])),
    });
    lineItems.push(...page.data.items);
    pages++;
  }
  return {
    catalogItemId,
    cartId: created.data.id,
    checkouts: [first.data, second.data],
    orderId,
    subscriptionId,
    polls,
    subscription: patched.data,
    invoice: { id: invoiceId, lineItems, pages },
  };
}

/** How many orders and subscriptions the store holds: a walk adds exactly one of each. */
export function purchases(emulator: Emulator): { orders: number; subscriptions: number } {
  return {
    orders: emulator.store.orders.count(),
    subscriptions: emulator.store.subscriptions.count(),
  };
}
