/** The emulator's route table as data: the app registers from it and /openapi.json describes it. */

/** What a route does, named for the app's handler map. */
export type RouteName =
  | 'listCustomers'
  | 'createCustomer'
  | 'getCustomer'
  | 'listSubscriptions'
  | 'getSubscription'
  | 'patchSubscription'
  | 'listOrders'
  | 'createOrder'
  | 'getOrder'
  | 'getProvisioningStatus'
  | 'listProducts'
  | 'getProduct'
  | 'listSkus'
  | 'getSku'
  | 'listAvailabilities'
  | 'getAvailability'
  | 'createCart'
  | 'getCart'
  | 'updateCart'
  | 'checkoutCart'
  | 'listInvoices'
  | 'getInvoice'
  | 'listInvoiceLineItems'
  | 'seekInvoiceLineItems'
  | 'notModelled'
  | 'mintToken'
  | 'getFaults'
  | 'putFaults'
  | 'addFaults'
  | 'deleteFault'
  | 'deleteFaults'
  | 'getMaintenance'
  | 'putMaintenance'
  | 'openapi';

/** One route. */
export interface RouteSpec {
  /** Upper-case method. */
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path pattern with `:params`. */
  path: string;
  /** The handler. */
  name: RouteName;
  /** One line for the OpenAPI summary. */
  summary: string;
  /** The success status. */
  success: 200 | 201 | 204;
  /** The error statuses this route can answer, each from its own cause. */
  errors: readonly number[];
  /** Whether the route reads a JSON body. */
  body?: boolean;
  /** Whether the route needs a partner's bearer token (the control routes need the control token, when one is set). */
  auth: boolean;
}

// Every Partner Center route can also answer 406, 429, 500 (injected), 503 (maintenance).
const COMMON = [401, 406, 429, 500, 503] as const;
const READ = [...COMMON, 403, 404] as const;
const WRITE = [...READ, 400, 408, 413] as const;

/** The catalog and the carts (the purchase flow). */
const COMMERCE_ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/v1/products',
    name: 'listProducts',
    summary: 'Products of a catalog view in a country (`country`, `targetView` required).',
    success: 200,
    errors: [...COMMON, 400, 403],
    auth: true,
  },
  {
    method: 'GET',
    path: '/v1/products/:productId',
    name: 'getProduct',
    summary: 'Get a product (`country` required).',
    success: 200,
    errors: [...READ, 400],
    auth: true,
  },
  {
    method: 'GET',
    path: '/v1/products/:productId/skus',
    name: 'listSkus',
    summary: "A product's SKUs with their quantity ranges (`country` required).",
    success: 200,
    errors: [...READ, 400],
    auth: true,
  },
  {
    method: 'GET',
    path: '/v1/products/:productId/skus/:skuId',
    name: 'getSku',
    summary: 'Get a SKU (`country` required).',
    success: 200,
    errors: [...READ, 400],
    auth: true,
  },
  {
    method: 'GET',
    path: '/v1/products/:productId/skus/:skuId/availabilities',
    name: 'listAvailabilities',
    summary: "A SKU's availabilities in a country, each with its terms (`country` required).",
    success: 200,
    errors: [...READ, 400],
    auth: true,
  },
  {
    method: 'GET',
    path: '/v1/products/:productId/skus/:skuId/availabilities/:availabilityId',
    name: 'getAvailability',
    summary: 'Get an availability; its catalogItemId is what a cart line buys.',
    success: 200,
    errors: [...READ, 400],
    auth: true,
  },
  {
    method: 'POST',
    path: '/v1/customers/:customerId/carts',
    name: 'createCart',
    summary: 'Create a cart; its lines are checked against the catalog.',
    success: 201,
    errors: WRITE,
    body: true,
    auth: true,
  },
  {
    method: 'GET',
    path: '/v1/customers/:customerId/carts/:cartId',
    name: 'getCart',
    summary: 'Get a cart (an Active cart expires 7 days after its creation).',
    success: 200,
    errors: READ,
    auth: true,
  },
  {
    method: 'PUT',
    path: '/v1/customers/:customerId/carts/:cartId',
    name: 'updateCart',
    summary: "Replace a cart's lines; If-Match required.",
    success: 200,
    errors: [...WRITE, 412],
    body: true,
    auth: true,
  },
  {
    method: 'POST',
    path: '/v1/customers/:customerId/carts/:cartId/checkout',
    name: 'checkoutCart',
    summary:
      'Check out a cart: orders and subscriptions; an ordered cart answers its result again.',
    success: 201,
    errors: [...READ, 408, 502, 504],
    auth: true,
  },
];

/** Every route the emulator serves. */
export const ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/v1/customers',
    name: 'listCustomers',
    summary: "List the partner's customers (seek paging).",
    success: 200,
    errors: [...COMMON, 400],
    auth: true,
  },
  {
    method: 'POST',
    path: '/v1/customers',
    name: 'createCustomer',
    summary: 'Create a customer.',
    success: 201,
    errors: [...WRITE, 409],
    body: true,
    auth: true,
  },
  {
    method: 'GET',
    path: '/v1/customers/:customerId',
    name: 'getCustomer',
    summary: 'Get a customer.',
    success: 200,
    errors: READ,
    auth: true,
  },
  {
    method: 'GET',
    path: '/v1/customers/:customerId/subscriptions',
    name: 'listSubscriptions',
    summary: "List a customer's subscriptions.",
    success: 200,
    errors: READ,
    auth: true,
  },
  {
    method: 'GET',
    path: '/v1/customers/:customerId/subscriptions/:subscriptionId',
    name: 'getSubscription',
    summary: 'Get a subscription.',
    success: 200,
    errors: READ,
    auth: true,
  },
  {
    method: 'PATCH',
    path: '/v1/customers/:customerId/subscriptions/:subscriptionId',
    name: 'patchSubscription',
    summary: 'Update quantity, friendly name, status or auto-renew; If-Match required.',
    success: 200,
    errors: [...WRITE, 412, 502, 504],
    body: true,
    auth: true,
  },
  {
    method: 'GET',
    path: '/v1/customers/:customerId/orders',
    name: 'listOrders',
    summary: "List a customer's orders.",
    success: 200,
    errors: READ,
    auth: true,
  },
  {
    method: 'POST',
    path: '/v1/customers/:customerId/orders',
    name: 'createOrder',
    summary: 'Create an order; each line item becomes a subscription.',
    success: 201,
    errors: [...WRITE, 409, 502, 504],
    body: true,
    auth: true,
  },
  {
    method: 'GET',
    path: '/v1/customers/:customerId/orders/:orderId',
    name: 'getOrder',
    summary: 'Get an order.',
    success: 200,
    errors: READ,
    auth: true,
  },
  {
    method: 'GET',
    path: '/v1/invoices',
    name: 'listInvoices',
    summary: "List the partner's invoices, newest first (`size` 1–500, `offset`).",
    success: 200,
    errors: [...COMMON, 400, 403],
    auth: true,
  },
  {
    method: 'GET',
    path: '/v1/invoices/:invoiceId',
    name: 'getInvoice',
    summary: 'Get an invoice.',
    success: 200,
    errors: READ,
    auth: true,
  },
  {
    method: 'GET',
    path: '/v1/invoices/:invoiceId/lineitems',
    name: 'listInvoiceLineItems',
    summary:
      'Billed line items of an invoice: `provider` and `invoiceLineItemType` required, `size` 1–2000; `links.next` carries the MS-ContinuationToken.',
    success: 200,
    errors: [...READ, 400],
    auth: true,
  },
  {
    method: 'GET',
    path: '/v1/invoices/:invoiceId/lineitems/:provider/:invoiceLineItemType',
    name: 'seekInvoiceLineItems',
    summary:
      'The same line items by path; `seekOperation=Next` with MS-ContinuationToken gives the next page.',
    success: 200,
    errors: [...READ, 400],
    auth: true,
  },
  {
    method: 'GET',
    path: '/v1/customers/:customerId/orders/:orderId/provisioningstatus',
    name: 'getProvisioningStatus',
    summary: "An order's provisioning status per line item: pending, then fulfilled.",
    success: 200,
    errors: READ,
    auth: true,
  },
  ...COMMERCE_ROUTES,
  {
    method: 'POST',
    path: '/_emulator/tokens',
    name: 'mintToken',
    summary: 'Mint a bearer token for a partner tenant.',
    success: 201,
    errors: [400, 401, 403, 406, 408, 413],
    body: true,
    auth: false,
  },
  {
    method: 'GET',
    path: '/_emulator/faults',
    name: 'getFaults',
    summary: 'The fault rules in force.',
    success: 200,
    errors: [401, 403, 406],
    auth: false,
  },
  {
    method: 'PUT',
    path: '/_emulator/faults',
    name: 'putFaults',
    summary: 'Replace the fault rules.',
    success: 200,
    errors: [400, 401, 403, 406, 408, 413],
    body: true,
    auth: false,
  },
  {
    method: 'POST',
    path: '/_emulator/faults',
    name: 'addFaults',
    summary: 'Add fault rules after those in force, which keep their counters.',
    success: 201,
    errors: [400, 401, 403, 406, 408, 413],
    body: true,
    auth: false,
  },
  {
    method: 'DELETE',
    path: '/_emulator/faults/:ruleId',
    name: 'deleteFault',
    summary: 'Remove one fault rule by its id; the others keep their counters.',
    success: 204,
    errors: [400, 401, 403, 404, 406],
    auth: false,
  },
  {
    method: 'DELETE',
    path: '/_emulator/faults',
    name: 'deleteFaults',
    summary: 'Remove every fault rule.',
    success: 204,
    errors: [401, 403, 406],
    auth: false,
  },
  {
    method: 'GET',
    path: '/_emulator/maintenance',
    name: 'getMaintenance',
    summary: 'Whether maintenance mode is on.',
    success: 200,
    errors: [401, 403, 406],
    auth: false,
  },
  {
    method: 'PUT',
    path: '/_emulator/maintenance',
    name: 'putMaintenance',
    summary: 'Turn maintenance mode (503 + Retry-After) on or off.',
    success: 200,
    errors: [400, 401, 403, 406, 408, 413],
    body: true,
    auth: false,
  },
  {
    method: 'GET',
    path: '/openapi.json',
    name: 'openapi',
    summary: 'This document.',
    success: 200,
    errors: [406],
    auth: false,
  },
];

/**
 * Partner Center routes the emulator knows exist but does not model: they answer 501 for
 * any method (they still count as routes, so they are not 404).
 */
export const NOT_MODELLED: readonly string[] = [
  '/v1/invoices/summaries',
  '/v1/invoices/unbilled/lineitems',
  '/v1/invoices/estimates/links',
  '/v1/invoices/:invoiceId/documents/statement',
  '/v1/customers/:customerId/users',
  '/v1/customers/:customerId/users/*',
  '/v1/customers/:customerId/agreements',
  '/v1/customers/:customerId/transfers',
  '/v1/customers/:customerId/transfers/*',
  '/v1/offers',
  '/v1/offers/*',
  '/v1/profiles/*',
  '/v1/auditrecords',
];

/**
 * Whether `path` is a Partner Center path (`/v1`, `/v1/…`): the ones that need a partner's
 * token and that faults, forced statuses and maintenance apply to. `/_emulator/*` and
 * `/openapi.json` are not.
 */
export function isPartnerCenterPath(path: string): boolean {
  return path.startsWith('/v1/') || path === '/v1';
}
