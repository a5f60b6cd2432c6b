/** The orders resource: create (lines become subscriptions in one transaction), get, list. */

import type { RouteHandler } from '@apifault/server';
import { BodyReader, requireBody } from '../body-reader.js';
import type { CommerceStep } from '../commerce.js';
import { businessRule, invalidInput, invalidProperties, orderNotFound } from '../errors.js';
import type { EmulatorStore } from '../store/emulator-store.js';
import type { NewLineItem } from '../store/records.js';
import { ownedCustomer } from './customers.js';
import { principalOf } from './request.js';
import { collectionJson, customerPath, link, orderJson } from './shapes.js';
import { MAX_QUANTITY } from './subscriptions.js';

const BILLING_CYCLES = ['monthly', 'annual', 'none'] as const;
const MAX_LINES = 100;

/** GET /v1/customers/:customerId/orders */
export function listOrders(store: EmulatorStore): RouteHandler {
  return (ctx) => {
    const customer = ownedCustomer(store.customers, principalOf(ctx), ctx.params.customerId ?? '');
    const items = store.orders.list(customer.id).map(orderJson);
    return collectionJson(items, link(`${customerPath(customer.id)}/orders`));
  };
}

/** GET /v1/customers/:customerId/orders/:orderId */
export function getOrder(store: EmulatorStore): RouteHandler {
  return (ctx) => {
    const customer = ownedCustomer(store.customers, principalOf(ctx), ctx.params.customerId ?? '');
    const id = ctx.params.orderId ?? '';
    const order = store.orders.get(customer.id, id);
    if (!order) throw orderNotFound(id);
    ctx.setHeader('ETag', `"${order.etag}"`);
    return orderJson(order);
  };
}

/** POST /v1/customers/:customerId/orders: the commerce step runs first, then one transaction. */
export function createOrder(store: EmulatorStore, commerce: CommerceStep): RouteHandler {
  return async (ctx) => {
    const raw = await ctx.json();
    const principal = principalOf(ctx);
    const customer = ownedCustomer(store.customers, principal, ctx.params.customerId ?? '');
    const read = new BodyReader();
    const body = read.object(requireBody(raw), 'body');
    const reference = read.string(body.referenceCustomerId, 'referenceCustomerId', { max: 128 });
    if (reference !== undefined && reference !== customer.id) {
      throw invalidInput('referenceCustomerId does not match the customer in the path.');
    }
    const billingCycle = read.oneOf(body.billingCycle, 'billingCycle', BILLING_CYCLES) ?? 'monthly';
    const lines: NewLineItem[] = [];
    if (
      !Array.isArray(body.lineItems) ||
      body.lineItems.length === 0 ||
      body.lineItems.length > MAX_LINES
    ) {
      read.problems.push({
        field: 'lineItems',
        message: `must be an array of 1–${MAX_LINES} line items`,
      });
    } else {
      body.lineItems.forEach((item: unknown, index: number) => {
        const at = `lineItems[${index}]`;
        const line = read.object(item, at);
        const lineItemNumber = read.integer(line.lineItemNumber ?? index, `${at}.lineItemNumber`, {
          min: 0,
          max: MAX_LINES,
        });
        const offerId = read.string(line.offerId, `${at}.offerId`, { required: true, max: 128 });
        const quantity = read.integer(line.quantity, `${at}.quantity`, {
          required: true,
          min: 1,
          max: MAX_QUANTITY,
        });
        const friendlyName = read.string(line.friendlyName, `${at}.friendlyName`);
        if (lineItemNumber !== undefined && offerId !== undefined && quantity !== undefined) {
          lines.push({
            lineItemNumber,
            offerId,
            quantity,
            ...(friendlyName === undefined ? {} : { friendlyName }),
          });
        }
      });
    }
    if (read.problems.length > 0) throw invalidProperties(read.problems);
    const numbers = new Set(lines.map((line) => line.lineItemNumber));
    if (
      numbers.size !== lines.length ||
      lines.some((line) => line.lineItemNumber >= lines.length)
    ) {
      throw businessRule('lineItemNumber');
    }
    await commerce('createOrder');
    const order = store.orders.create({ customerId: customer.id, billingCycle, lineItems: lines });
    ctx.status = 201;
    ctx.setHeader('Location', `${customerPath(customer.id)}/orders/${order.id}`);
    ctx.setHeader('ETag', `"${order.etag}"`);
    return orderJson(order);
  };
}
