/**
 * Records the emulator's own answers as the OpenAPI document's examples: one request per
 * route against a freshly seeded emulator, in an order where each finds what it needs (a cart
 * before its checkout). scripts/openapi-examples.ts writes them to src/openapi-examples.ts;
 * test/openapi-examples.test.ts records them again and holds the committed ones to their shape.
 */

import assert from 'node:assert/strict';
import { type RouteSpec, SEED_CUSTOMERS } from '@apifault/emulator';

/** A route's recorded exchange: the request body sent (if any) and the answer's body. */
export interface RecordedExample {
  request?: unknown;
  response: unknown;
}

/** The clock of the recording emulator, so dates in the examples do not move. */
export const EXAMPLE_CLOCK = new Date('2026-03-10T12:00:00Z');
/** Line items per subscription on the recording emulator's invoices. */
export const EXAMPLE_LINES = 2;

type Name = RouteSpec['name'];

interface Links {
  next?: { uri: string; headers: { key: string; value: string }[] };
}

/**
 * Calls every route of the emulator at `url` (seeded, clock {@link EXAMPLE_CLOCK}, billing
 * {@link EXAMPLE_LINES}) with `token` (the seeded partner's) and returns each 2xx body by route
 * name. Routes without a body (204) and /openapi.json itself are left out.
 */
export async function recordExamples(
  url: string,
  token: string,
): Promise<Partial<Record<Name, RecordedExample>>> {
  const examples: Partial<Record<Name, RecordedExample>> = {};
  const call = async (
    name: Name,
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const response = await fetch(url + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    assert.ok(response.ok, `${name}: ${response.status} ${text}`);
    // biome-ignore lint/suspicious/noExplicitAny: answers are read as the walk needs them
    const data = JSON.parse(text) as any;
    examples[name] =
      options.body === undefined ? { response: data } : { request: options.body, response: data };
    return { data, etag: response.headers.get('etag') ?? '' };
  };

  const catalog = '?country=US';
  const products = await call(
    'listProducts',
    'GET',
    '/v1/products?country=US&targetView=OnlineServices',
  );
  const product = `/v1/products/${products.data.items[0].id}`;
  await call('getProduct', 'GET', product + catalog);
  const skus = await call('listSkus', 'GET', `${product}/skus${catalog}`);
  const sku = `${product}/skus/${skus.data.items[0].id}`;
  await call('getSku', 'GET', sku + catalog);
  const availabilities = await call('listAvailabilities', 'GET', `${sku}/availabilities${catalog}`);
  const availability = availabilities.data.items[0];
  await call('getAvailability', 'GET', `${sku}/availabilities/${availability.id}${catalog}`);

  const customer = `/v1/customers/${SEED_CUSTOMERS.litware}`;
  const line = {
    id: 0,
    catalogItemId: availability.catalogItemId,
    quantity: 5,
    billingCycle: 'monthly',
    termDuration: 'P1M',
  };
  const cart = await call('createCart', 'POST', `${customer}/carts`, {
    body: { lineItems: [line] },
  });
  const cartPath = `${customer}/carts/${cart.data.id}`;
  await call('getCart', 'GET', cartPath);
  await call('updateCart', 'PUT', cartPath, {
    body: { lineItems: [{ ...line, quantity: 6 }] },
    headers: { 'if-match': cart.etag },
  });
  const checkout = await call('checkoutCart', 'POST', `${cartPath}/checkout`);

  await call('listCustomers', 'GET', '/v1/customers?size=2');
  await call('createCustomer', 'POST', '/v1/customers', {
    body: {
      companyProfile: { domain: 'relecloud.onmicrosoft.com', companyName: 'Relecloud' },
      billingProfile: { email: 'admin@relecloud.onmicrosoft.com' },
    },
  });
  await call('getCustomer', 'GET', customer);
  const subscriptions = await call('listSubscriptions', 'GET', `${customer}/subscriptions`);
  const subscription = `${customer}/subscriptions/${subscriptions.data.items[0].id}`;
  const current = await call('getSubscription', 'GET', subscription);
  await call('patchSubscription', 'PATCH', subscription, {
    body: { autoRenewEnabled: false },
    headers: { 'if-match': current.etag },
  });
  await call('listOrders', 'GET', `${customer}/orders`);
  await call('createOrder', 'POST', `${customer}/orders`, {
    body: { lineItems: [{ lineItemNumber: 0, offerId: 'CFQ7TTC0LH18:0001', quantity: 3 }] },
  });
  const order = `${customer}/orders/${checkout.data.orders[0].id}`;
  await call('getOrder', 'GET', order);
  await call('getProvisioningStatus', 'GET', `${order}/provisioningstatus`);

  const invoices = await call('listInvoices', 'GET', '/v1/invoices?size=1');
  const invoice = `/v1/invoices/${invoices.data.items[0].id}`;
  await call('getInvoice', 'GET', invoice);
  const first = await call(
    'listInvoiceLineItems',
    'GET',
    `${invoice}/lineitems?provider=OneTime&invoiceLineItemType=BillingLineItems&size=2`,
  );
  const next = (first.data.links as Links).next;
  assert.ok(next, 'the invoice has a second page');
  await call('seekInvoiceLineItems', 'GET', next.uri, {
    headers: Object.fromEntries(next.headers.map((h) => [h.key, h.value])),
  });

  await call('mintToken', 'POST', '/_emulator/tokens', { body: { ttl: 3600 } });
  await call('putFaults', 'PUT', '/_emulator/faults', {
    body: { rules: ['GET /v1/customers/*=503,p=0.5,retryAfter=30'] },
  });
  await call('addFaults', 'POST', '/_emulator/faults', { body: { rules: ['commerce=timeout'] } });
  await call('getFaults', 'GET', '/_emulator/faults');
  await call('putMaintenance', 'PUT', '/_emulator/maintenance', {
    body: { enabled: false, retryAfter: 30 },
  });
  await call('getMaintenance', 'GET', '/_emulator/maintenance');
  return examples;
}

/**
 * A value's shape: its type, an object's members' shapes, an array's first element's. Two
 * answers of one route have one shape whatever their ids, dates and counts.
 */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, member]) => [key, shapeOf(member)]),
    );
  }
  return value === null ? 'null' : typeof value;
}
