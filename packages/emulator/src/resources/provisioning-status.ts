/** An order's provisioning status: per line item, pending until the order's provisioning time, then fulfilled. */

import type { RouteHandler } from '@apifault/server';
import { provisioningNotFound } from '../commerce-errors.js';
import type { EmulatorStore } from '../store/emulator-store.js';
import type { OrderRecord } from '../store/records.js';
import { ownedCustomer } from './customers.js';
import { principalOf } from './request.js';
import { collectionJson, customerPath, link } from './shapes.js';

/** The collection of OrderLineItemProvisioningStatus of an order. */
export function provisioningStatusJson(order: OrderRecord): Record<string, unknown> {
  const status = order.status === 'completed' ? 'fulfilled' : 'pending';
  const items = order.lineItems.map((line) => ({
    lineItemNumber: line.lineItemNumber,
    status,
    quantityProvisioningInformation: [{ quantity: line.quantity, status }],
  }));
  return collectionJson(
    items,
    link(`${customerPath(order.customerId)}/orders/${order.id}/provisioningstatus`),
  );
}

/** GET /v1/customers/:customerId/orders/:orderId/provisioningstatus */
export function getProvisioningStatus(store: EmulatorStore): RouteHandler {
  return (ctx) => {
    const customer = ownedCustomer(store.customers, principalOf(ctx), ctx.params.customerId ?? '');
    const id = ctx.params.orderId ?? '';
    const order = store.orders.get(customer.id, id);
    if (!order) throw provisioningNotFound(id);
    return provisioningStatusJson(order);
  };
}
