/** Turns stored records into the JSON shapes Partner Center answers with. */

import type { CustomerRecord, OrderRecord, SubscriptionRecord } from '../store/records.js';

/** A Partner Center link: where, with which method and which extra headers. */
export interface Link {
  uri: string;
  method: string;
  headers: { key: string; value: string }[];
}

/** A link to GET `uri`. */
export function link(uri: string, headers: { key: string; value: string }[] = []): Link {
  return { uri, method: 'GET', headers };
}

/** The path of a customer. */
export function customerPath(id: string): string {
  return `/v1/customers/${encodeURIComponent(id)}`;
}

/** A customer resource. */
export function customerJson(customer: CustomerRecord): Record<string, unknown> {
  return {
    id: customer.id,
    commerceId: customer.id,
    companyProfile: {
      tenantId: customer.tenantId,
      domain: customer.domain,
      companyName: customer.companyName,
      attributes: { objectType: 'CustomerCompanyProfile' },
    },
    billingProfile: {
      id: customer.id,
      ...customer.billingProfile,
      attributes: { objectType: 'CustomerBillingProfile' },
    },
    relationshipToPartner: customer.relationship,
    allowDelegatedAccess: true,
    links: { self: link(customerPath(customer.id)) },
    attributes: { objectType: 'Customer', etag: customer.etag },
  };
}

/** A subscription resource. */
export function subscriptionJson(subscription: SubscriptionRecord): Record<string, unknown> {
  const self = `${customerPath(subscription.customerId)}/subscriptions/${subscription.id}`;
  return {
    id: subscription.id,
    entitlementId: subscription.id,
    offerId: subscription.offerId,
    friendlyName: subscription.friendlyName,
    quantity: subscription.quantity,
    unitType: 'Licenses',
    creationDate: subscription.createdAt,
    effectiveStartDate: subscription.createdAt,
    status: subscription.status,
    autoRenewEnabled: subscription.autoRenewEnabled,
    billingType: 'license',
    billingCycle: subscription.billingCycle,
    ...(subscription.termDuration === undefined ? {} : { termDuration: subscription.termDuration }),
    orderId: subscription.orderId,
    links: {
      self: link(self),
      order: link(`${customerPath(subscription.customerId)}/orders/${subscription.orderId}`),
    },
    attributes: { objectType: 'Subscription', etag: subscription.etag },
  };
}

/** An order resource. */
export function orderJson(order: OrderRecord): Record<string, unknown> {
  const base = customerPath(order.customerId);
  return {
    id: order.id,
    alternateId: order.id,
    referenceCustomerId: order.customerId,
    billingCycle: order.billingCycle,
    currencyCode: 'USD',
    lineItems: order.lineItems.map((line) => ({
      lineItemNumber: line.lineItemNumber,
      offerId: line.offerId,
      subscriptionId: line.subscriptionId,
      ...(line.termDuration === undefined ? {} : { termDuration: line.termDuration }),
      transactionType: 'New',
      quantity: line.quantity,
      links: { subscription: link(`${base}/subscriptions/${line.subscriptionId}`) },
    })),
    status: order.status,
    creationDate: order.createdAt,
    transactionType: 'UserPurchase',
    links: {
      self: link(`${base}/orders/${order.id}`),
      provisioningStatus: link(`${base}/orders/${order.id}/provisioningstatus`),
    },
    attributes: { objectType: 'Order', etag: order.etag },
  };
}

/** A collection; `next` and `continuationToken` when there is a next page. */
export function collectionJson(
  items: unknown[],
  self: Link,
  next?: { link: Link; continuationToken: string },
): Record<string, unknown> {
  return {
    totalCount: items.length,
    items,
    links: next ? { self, next: next.link } : { self },
    ...(next ? { continuationToken: next.continuationToken } : {}),
    attributes: { objectType: 'Collection' },
  };
}
