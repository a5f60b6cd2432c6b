/** The rows the store reads and writes, as plain objects. */

/** A customer's billing profile, stored as JSON. */
export interface BillingProfile {
  /** Contact first name. */
  firstName: string;
  /** Contact last name. */
  lastName: string;
  /** Contact e-mail. */
  email: string;
  /** Culture, e.g. `en-US`. */
  culture: string;
  /** Language, e.g. `en`. */
  language: string;
  /** Company name as billed. */
  companyName: string;
  /** Address fields. */
  defaultAddress: Record<string, string>;
}

/** A stored customer. */
export interface CustomerRecord {
  id: string;
  partnerTenantId: string;
  tenantId: string;
  domain: string;
  companyName: string;
  billingProfile: BillingProfile;
  relationship: string;
  etag: string;
  createdAt: string;
}

/** A subscription's status. */
export type SubscriptionStatus = 'active' | 'suspended' | 'deleted';

/** A stored subscription. */
export interface SubscriptionRecord {
  id: string;
  customerId: string;
  orderId: string;
  offerId: string;
  friendlyName: string;
  quantity: number;
  status: SubscriptionStatus;
  autoRenewEnabled: boolean;
  billingCycle: string;
  etag: string;
  createdAt: string;
  updatedAt: string;
  /** The commitment term (`P1M`, `P1Y`, `P3Y`) of a subscription bought through a cart. */
  termDuration?: string;
}

/** A stored order line item. */
export interface LineItemRecord {
  lineItemNumber: number;
  offerId: string;
  subscriptionId: string;
  quantity: number;
  /** The line's term, for a line bought through a cart. */
  termDuration?: string;
}

/** A stored order with its line items. */
export interface OrderRecord {
  id: string;
  customerId: string;
  billingCycle: string;
  status: string;
  etag: string;
  createdAt: string;
  lineItems: LineItemRecord[];
  /** When a pending order (from a checkout) is provisioned; undefined for an order created complete. */
  provisionedAt?: string;
}

/** A new customer. */
export interface NewCustomer {
  partnerTenantId: string;
  domain: string;
  companyName: string;
  billingProfile: BillingProfile;
  /** @default a random UUID */
  id?: string;
  /** @default a random UUID */
  tenantId?: string;
}

/** A new order line. */
export interface NewLineItem {
  lineItemNumber: number;
  offerId: string;
  quantity: number;
  friendlyName?: string;
  /** The term bought (cart lines). */
  termDuration?: string;
}

/** A new order. */
export interface NewOrder {
  customerId: string;
  billingCycle: string;
  lineItems: NewLineItem[];
  /** @default a random UUID */
  id?: string;
  /** When set, the order is `pending` until this time, then `completed`. @default completed at once */
  provisionedAt?: Date;
}

/** The fields a subscription PATCH may change. */
export interface SubscriptionChanges {
  quantity?: number;
  friendlyName?: string;
  status?: SubscriptionStatus;
  autoRenewEnabled?: boolean;
}
