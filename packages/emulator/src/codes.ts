/** The error codes the emulator answers with: Partner Center's, copied from the shared code table, and one of its own. */

/** One row of the catalog: the code, the description Partner Center publishes, the table's status (the emulator's own code: the status it is sent with). */
export interface CatalogEntry {
  /** The numeric code, as a string (the contract's `code` is a string). */
  readonly code: string;
  /** Partner Center's published description; `{0}`/`{1}` are placeholders. */
  readonly description: string;
  /** The status the table lists the code under (not always the status the emulator sends). */
  readonly tableStatus: number;
}

/**
 * The rows of `fixtures/partner-center/partner-center-error-codes.json` (and the per-page table, and the
 * documented samples) that the emulator uses, keyed by the condition they describe.
 * Where the table lists a code under another status than the condition's (2055, 800036), the
 * emulator sends the contract's status and keeps Partner Center's code.
 */
export const CODES = {
  /** 401, token missing (table: 401 800001). */
  tokenMissing: {
    code: '800001',
    description: 'Partner Token missing in request context',
    tableStatus: 401,
  },
  /** 401, token present but rejected (table: 401 400 "Access denied"). */
  accessDenied: { code: '400', description: 'Access denied', tableStatus: 401 },
  /** 403, the partner has no relationship with the customer (table: 403 20002). */
  noRelationship: {
    code: '20002',
    description: 'The partner ID {0} has no commerce relationship with the customer ID {1}.',
    tableStatus: 403,
  },
  /** 403, a control-plane request from another host or origin (table: 403 2032). */
  controlAccessDenied: { code: '2032', description: 'Access denied', tableStatus: 403 },
  /** 403, the token's roles cannot write (table: 403 900150). */
  roleNotAllowed: {
    code: '900150',
    description: 'The supplied role does not have the rights to perform the requested operation',
    tableStatus: 403,
  },
  /** 404, generic not found, used for unknown routes (table: 404 1000). */
  notFound: { code: '1000', description: 'Not found', tableStatus: 404 },
  /** 404, customer (a tenant) not found (documented 404 sample: code 3000, source PartnerFD). */
  customerNotFound: {
    code: '3000',
    description: 'Customer {0} could not be found',
    tableStatus: 404,
  },
  /** 404, subscription not found (table: 404 20003). */
  subscriptionNotFound: {
    code: '20003',
    description: 'Subscription with ID {0} not found.',
    tableStatus: 404,
  },
  /** 404, order not found (table: 404 20000). */
  orderNotFound: { code: '20000', description: 'Order ID not found', tableStatus: 404 },
  /** 400, invalid input (table: 400 800002). */
  invalidInput: { code: '800002', description: 'Invalid request input', tableStatus: 400 },
  /** 400, invalid property (table: 400 3000), with the failing fields in `data`. */
  invalidProperty: { code: '3000', description: 'Invalid property', tableStatus: 400 },
  /** 400, quantity out of range (table: 400 2002). */
  quantityOutOfRange: {
    code: '2002',
    description: 'Subscription quantity is not within minimum and maximum allowed quantity',
    tableStatus: 400,
  },
  /** 400, the business rule forbids a decrease (table: 400 800090; sample text with the period). */
  quantityDecrease: {
    code: '800090',
    description: 'Subscription quantity cannot be decreased.',
    tableStatus: 400,
  },
  /** 400, updating a deleted subscription (table: 400 2011). */
  deletedSubscription: {
    code: '2011',
    description: 'Subscription with ID {0} and deleted status cannot be updated.',
    tableStatus: 400,
  },
  /** 400, changing quantity of a suspended subscription (table: 400 800091). */
  suspendedSubscription: {
    code: '800091',
    description: 'Cannot update a subscription with suspended status',
    tableStatus: 400,
  },
  /** 400, bad line item numbering (table: 400 800071). */
  lineItemNumber: {
    code: '800071',
    description: 'Line Item number should be from 0 to number of line items count',
    tableStatus: 400,
  },
  /** 409, duplicate customer domain (per-page table: 409 1003). */
  duplicateTenant: {
    code: '1003',
    description: 'Conflict while creating tenant',
    tableStatus: 409,
  },
  /** 412, stale ETag (table: 400 2055, sent as the contract's 412). */
  etagInvalid: { code: '2055', description: 'Etag is no longer valid', tableStatus: 400 },
  /** 412, If-Match missing (table: 417 800036, sent as the contract's 412: it has no 428). */
  preconditionMissing: { code: '800036', description: 'Pre-condition failed', tableStatus: 417 },
  /** 500, injected internal fault (table: 500 800003). */
  unexpected: { code: '800003', description: 'Unexpected service error', tableStatus: 500 },
  /** 501, not modelled (table: 501 0 "Exception not defined"). */
  notImplemented: { code: '0', description: 'Exception not defined', tableStatus: 501 },
  /** 502 on order creation when commerce fails (table: 500 800005). */
  createOrderFailed: {
    code: '800005',
    description: 'Create order is not successful',
    tableStatus: 500,
  },
  /** 502 on subscription update when commerce fails (table: 500 800094). */
  updateSubscriptionFailed: {
    code: '800094',
    description: 'Update subscription is not successful',
    tableStatus: 500,
  },
  // The purchase flow: catalog, carts and checkout, provisioning, subscription transitions.
  /** 404, unknown product (per-page table of Get a product by ID: 404 400013). */
  productNotFound: { code: '400013', description: 'Product was not found.', tableStatus: 404 },
  /** 404, unknown SKU of a product (per-page table of Get a SKU by ID: 404 400018). */
  skuNotFound: { code: '400018', description: 'Sku was not found.', tableStatus: 404 },
  /** 404, unknown availability of a SKU (per-page table of Get an availability by ID: 404 400019). */
  availabilityNotFound: {
    code: '400019',
    description: 'Availability not found.',
    tableStatus: 404,
  },
  /** 403, a catalog view the partner may not read (per-page table of Get a list of products: 403 400036). */
  targetViewNotAllowed: {
    code: '400036',
    description: 'Access to the requested targetView is not allowed.',
    tableStatus: 403,
  },
  /** 404, unknown or expired cart (table: 404 800008). */
  cartNotFound: { code: '800008', description: 'Unable to retrieve cart ID', tableStatus: 404 },
  /** 400, one or more cart lines are not valid (table: 400 800009); the lines in `data`. */
  cartItemErrors: { code: '800009', description: 'Error in Cart item(s)', tableStatus: 400 },
  /** 400, updating a cart already checked out (table: 400 800065). */
  cartSubmitted: {
    code: '800065',
    description: 'Cannot check out an already submitted cart {0}.',
    tableStatus: 400,
  },
  /** A cart line whose catalogItemId names nothing in the catalog (table: 400 800004). */
  invalidOfferId: { code: '800004', description: 'Invalid offer ID', tableStatus: 400 },
  /** A cart line whose availability is not purchasable (table: 403 800020). */
  catalogItemNotEligible: {
    code: '800020',
    description: 'The catalog item is not eligible for purchase.',
    tableStatus: 403,
  },
  /** A cart line outside the SKU's quantity range (table: 400 800017). */
  quantityNotAvailable: {
    code: '800017',
    description: 'The quantity is not available for this catalog item',
    tableStatus: 400,
  },
  /** A cart line whose term the availability does not offer (table: 403 800028). */
  termNotAvailable: {
    code: '800028',
    description: 'The initial purchase term is no longer available for purchase/update',
    tableStatus: 403,
  },
  /** A cart line without a catalogItemId (table: 400 900142). */
  catalogItemIdMissing: {
    code: '900142',
    description: 'The catalog item ID is not present',
    tableStatus: 400,
  },
  /** 404, provisioning status of an order that does not exist (table: 404 800007). */
  provisioningNotFound: {
    code: '800007',
    description: 'Unable to retrieve provisioning information',
    tableStatus: 404,
  },
  /** 400, cancelling a subscription past its cancellation window (table: 400 900117). */
  cancellationWindowPassed: {
    code: '900117',
    description:
      'You have passed your {0}-day cancellation window. We are unable to cancel your purchase',
    tableStatus: 400,
  },
} as const satisfies Record<string, CatalogEntry>;

/** The name of a catalog condition. */
export type CodeName = keyof typeof CODES;

// Each description split once at its placeholders: literal text at even indexes, argument
// numbers at odd ones.
const templates = new Map<CodeName, (string | number)[]>();

function template(name: CodeName): (string | number)[] {
  let parts = templates.get(name);
  if (parts === undefined) {
    parts = CODES[name].description
      .split(/\{(\d)\}/)
      .map((part, i) => (i % 2 === 1 ? Number(part) : part));
    templates.set(name, parts);
  }
  return parts;
}

/** Fills `{0}`, `{1}` … placeholders of a catalog description. */
export function describe(name: CodeName, ...args: string[]): string {
  const parts = template(name);
  let text = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string | number;
    text += typeof part === 'number' ? (args[part] ?? '') : part;
  }
  return text;
}
