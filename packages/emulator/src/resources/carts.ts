/**
 * The carts resource: create, get, update (PUT under If-Match) and checkout. Lines are
 * validated against the catalog; a checkout asks commerce once per order group, then writes
 * the orders and their subscriptions in one transaction; an ordered cart answers its result.
 */

import { isApiError } from '@apifault/contract';
import type { Context, RouteHandler } from '@apifault/server';
import { BodyReader, requireBody } from '../body-reader.js';
import { CODES } from '../codes.js';
import type { CommerceStep } from '../commerce.js';
import {
  type CartLineProblem,
  cartItemErrors,
  cartNotFound,
  cartSubmitted,
} from '../commerce-errors.js';
import { etagStale, invalidProperties } from '../errors.js';
import type { CartLineRecord, CartRecord } from '../store/carts.js';
import type { CatalogStore } from '../store/catalog.js';
import type { EmulatorStore } from '../store/emulator-store.js';
import type { NewOrder, OrderRecord } from '../store/records.js';
import { ownedCustomer } from './customers.js';
import { requireIfMatch } from './if-match.js';
import { principalOf } from './request.js';
import { customerPath, link, orderJson } from './shapes.js';

/** The most lines a cart holds. */
export const MAX_CART_LINES = 50;

const BILLING_CYCLES = ['monthly', 'annual', 'triennial'] as const;
const TERMS = ['P1M', 'P1Y', 'P3Y'] as const;

function cartPath(customerId: string, id: string): string {
  return `${customerPath(customerId)}/carts/${id}`;
}

/** A Cart resource. */
export function cartJson(cart: CartRecord): Record<string, unknown> {
  return {
    id: cart.id,
    creationTimestamp: cart.createdAt,
    lastModifiedTimestamp: cart.updatedAt,
    expirationTimestamp: cart.expiresAt,
    lastModifiedUser: cart.lastModifiedUser,
    status: cart.status,
    lineItems: cart.lineItems.map((line) => ({
      id: line.id,
      catalogItemId: line.catalogItemId,
      ...(line.friendlyName === undefined ? {} : { friendlyName: line.friendlyName }),
      quantity: line.quantity,
      currencyCode: line.currencyCode,
      billingCycle: line.billingCycle,
      termDuration: line.termDuration,
      provisioningContext: {},
      orderGroup: line.orderGroup,
    })),
    links: { self: link(cartPath(cart.customerId, cart.id)) },
    attributes: { objectType: 'Cart', etag: cart.etag },
  };
}

interface RawLine {
  id: number;
  catalogItemId: string | undefined;
  quantity: number;
  billingCycle: string;
  termDuration: string;
  friendlyName?: string;
}

/** The body's shape (400 3000 per field when it is not a cart). */
function readLines(raw: unknown): RawLine[] {
  const read = new BodyReader();
  const body = read.object(requireBody(raw), 'body');
  const lines: RawLine[] = [];
  const items = body.lineItems;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_CART_LINES) {
    read.problems.push({
      field: 'lineItems',
      message: `must be an array of 1–${MAX_CART_LINES} line items`,
    });
    throw invalidProperties(read.problems);
  }
  items.forEach((item: unknown, index: number) => {
    const at = `lineItems[${index}]`;
    const line = read.object(item, at);
    const id = read.integer(line.id ?? index, `${at}.id`, { min: 0, max: MAX_CART_LINES - 1 });
    // A missing catalogItemId is the line's own error (900142), reported with the others.
    const catalogItemId =
      line.catalogItemId === undefined || line.catalogItemId === null
        ? undefined
        : read.string(line.catalogItemId, `${at}.catalogItemId`, { max: 128 });
    const quantity = read.integer(line.quantity, `${at}.quantity`, {
      required: true,
      min: Number.MIN_SAFE_INTEGER,
      max: Number.MAX_SAFE_INTEGER,
    });
    const billingCycle = read.oneOf(line.billingCycle, `${at}.billingCycle`, BILLING_CYCLES);
    const termDuration = read.oneOf(line.termDuration, `${at}.termDuration`, TERMS);
    if (billingCycle === undefined && line.billingCycle === undefined) {
      read.problems.push({ field: `${at}.billingCycle`, message: 'is required' });
    }
    if (termDuration === undefined && line.termDuration === undefined) {
      read.problems.push({ field: `${at}.termDuration`, message: 'is required' });
    }
    const friendlyName = read.string(line.friendlyName, `${at}.friendlyName`, { max: 256 });
    if (
      id !== undefined &&
      quantity !== undefined &&
      billingCycle !== undefined &&
      termDuration !== undefined
    ) {
      lines.push({
        id,
        catalogItemId,
        quantity,
        billingCycle,
        termDuration,
        ...(friendlyName === undefined ? {} : { friendlyName }),
      });
    }
  });
  if (read.problems.length > 0) throw invalidProperties(read.problems);
  if (new Set(lines.map((line) => line.id)).size !== lines.length) {
    throw invalidProperties([{ field: 'lineItems', message: 'line item ids must be distinct' }]);
  }
  return lines;
}

/** Checks one line against the catalog; the problem, or the line as the cart keeps it. */
function checkLine(catalog: CatalogStore, line: RawLine): CartLineProblem | CartLineRecord {
  const problem = (name: keyof typeof CODES, why: string): CartLineProblem => ({
    lineItemId: line.id,
    code: CODES[name].code,
    errorDescription: `${CODES[name].description}: ${why}`,
  });
  if (line.catalogItemId === undefined) {
    return problem('catalogItemIdMissing', 'each line item needs a catalogItemId.');
  }
  const [productId, skuId, availabilityId, extra] = line.catalogItemId.split(':');
  const availability =
    productId && skuId && availabilityId && extra === undefined
      ? catalog.getAvailability(productId, skuId, availabilityId)
      : undefined;
  const sku = availability ? catalog.getSku(availability.productId, availability.skuId) : undefined;
  if (!availability || !sku) {
    return problem(
      'invalidOfferId',
      `${line.catalogItemId} is not a catalogItemId of the catalog (productId:skuId:availabilityId).`,
    );
  }
  if (!availability.isPurchasable) {
    return problem('catalogItemNotEligible', `${line.catalogItemId} is not purchasable.`);
  }
  if (line.quantity < sku.minimumQuantity || line.quantity > sku.maximumQuantity) {
    return problem(
      'quantityNotAvailable',
      `quantity ${line.quantity} is outside ${sku.minimumQuantity}–${sku.maximumQuantity} for ${line.catalogItemId}.`,
    );
  }
  const terms = availability.terms.filter((term) => term.duration === line.termDuration);
  if (terms.length === 0) {
    const offered = [...new Set(availability.terms.map((term) => term.duration))].join(', ');
    return problem(
      'termNotAvailable',
      `termDuration ${line.termDuration} is not offered for ${line.catalogItemId} (offered: ${offered}).`,
    );
  }
  if (!terms.some((term) => term.billingCycle.toLowerCase() === line.billingCycle)) {
    const offered = terms.map((term) => term.billingCycle.toLowerCase()).join(', ');
    return problem(
      'invalidInput',
      `billingCycle ${line.billingCycle} is not offered with termDuration ${line.termDuration} for ${line.catalogItemId} (offered: ${offered}).`,
    );
  }
  return {
    id: line.id,
    catalogItemId: line.catalogItemId,
    quantity: line.quantity,
    billingCycle: line.billingCycle,
    termDuration: line.termDuration,
    currencyCode: availability.currency,
    orderGroup: '',
    ...(line.friendlyName === undefined ? {} : { friendlyName: line.friendlyName }),
  };
}

/**
 * The body's lines checked against the catalog (400 800009 listing every bad line), grouped
 * into order groups: one group, and so one order, per billing cycle, numbered from "0".
 */
function validLines(catalog: CatalogStore, raw: unknown): CartLineRecord[] {
  const problems: CartLineProblem[] = [];
  const lines: CartLineRecord[] = [];
  for (const line of readLines(raw)) {
    const checked = checkLine(catalog, line);
    if ('errorDescription' in checked) problems.push(checked);
    else lines.push(checked);
  }
  if (problems.length > 0) throw cartItemErrors(problems);
  const groups = new Map<string, string>();
  for (const line of lines) {
    let group = groups.get(line.billingCycle);
    if (group === undefined) {
      group = String(groups.size);
      groups.set(line.billingCycle, group);
    }
    line.orderGroup = group;
  }
  return lines;
}

/** What the cart handlers need. */
export interface CartDependencies {
  store: EmulatorStore;
  commerce: CommerceStep;
  now: () => Date;
  /** How long a checked-out order stays `pending` before it is `completed`, in ms. */
  provisioningDelayMs: number;
}

/** The customer's cart named by the path: 404 800008 when unknown, or Active and past its expiration. */
function loadCart({ store, now }: CartDependencies, ctx: Context): CartRecord {
  const customer = ownedCustomer(store.customers, principalOf(ctx), ctx.params.customerId ?? '');
  const id = ctx.params.cartId ?? '';
  const cart = store.carts.get(customer.id, id);
  if (!cart) throw cartNotFound(id);
  if (cart.status === 'Active' && Date.parse(cart.expiresAt) <= now().getTime()) {
    throw cartNotFound(id, cart.expiresAt);
  }
  return cart;
}

/** POST /v1/customers/:customerId/carts */
export function createCart({ store }: CartDependencies): RouteHandler {
  return async (ctx) => {
    const raw = await ctx.json();
    const principal = principalOf(ctx);
    const customer = ownedCustomer(store.customers, principal, ctx.params.customerId ?? '');
    const lines = validLines(store.catalog, raw);
    const cart = store.carts.create(customer.id, lines, principal.partnerTenantId);
    ctx.status = 201;
    ctx.setHeader('Location', cartPath(customer.id, cart.id));
    ctx.setHeader('ETag', `"${cart.etag}"`);
    return cartJson(cart);
  };
}

/** GET /v1/customers/:customerId/carts/:cartId */
export function getCart(deps: CartDependencies): RouteHandler {
  return (ctx) => {
    const cart = loadCart(deps, ctx);
    ctx.setHeader('ETag', `"${cart.etag}"`);
    return cartJson(cart);
  };
}

/** PUT /v1/customers/:customerId/carts/:cartId: replaces the lines; If-Match required; an ordered cart is 400 800065. */
export function updateCart(deps: CartDependencies): RouteHandler {
  return async (ctx) => {
    const raw = await ctx.json();
    const current = loadCart(deps, ctx);
    requireIfMatch(ctx, current.etag);
    if (current.status === 'Ordered') throw cartSubmitted(current.id);
    const lines = validLines(deps.store.catalog, raw);
    const updated = deps.store.carts.replaceLineItems(
      current,
      current.etag,
      lines,
      principalOf(ctx).partnerTenantId,
    );
    if (!updated) throw etagStale();
    ctx.setHeader('ETag', `"${updated.etag}"`);
    return cartJson(updated);
  };
}

/** The CartCheckoutResult of a cart's orders, and of the groups that failed this time. */
function checkoutJson(orders: OrderRecord[], orderErrors: unknown[]): Record<string, unknown> {
  return {
    orders: orders.map(orderJson),
    orderErrors,
    attributes: { objectType: 'CartCheckoutResult' },
  };
}

/**
 * POST /v1/customers/:customerId/carts/:cartId/checkout. An ordered cart answers the result
 * of the checkout that ordered it. Otherwise each order group not ordered yet goes through
 * commerce; the groups it accepts become orders (pending until the provisioning delay has
 * passed) in one transaction, the others are listed in `orderErrors` and a later checkout
 * retries only them. When commerce refuses every group, nothing is written and the answer
 * is its 502 or 504.
 */
export function checkoutCart(deps: CartDependencies): RouteHandler {
  const { store, commerce, now } = deps;
  return async (ctx) => {
    const cart = loadCart(deps, ctx);
    ctx.status = 201;
    if (cart.checkoutResult !== undefined) return JSON.parse(cart.checkoutResult) as unknown;
    const pending = [...new Set(cart.lineItems.map((line) => line.orderGroup))].filter(
      (group) => cart.orderedGroups[group] === undefined,
    );
    const orders = new Map<string, NewOrder>();
    const orderErrors: { orderGroupId: string; code: number; description: string }[] = [];
    let firstFailure: unknown;
    for (const group of pending) {
      try {
        await commerce('createOrder');
      } catch (error) {
        if (!isApiError(error) || (error.status !== 502 && error.status !== 504)) throw error;
        firstFailure ??= error;
        orderErrors.push({
          orderGroupId: group,
          code: Number(error.code),
          description: error.description ?? CODES.createOrderFailed.description,
        });
        continue;
      }
      orders.set(group, newOrder(store.catalog, cart, group, now, deps.provisioningDelayMs));
    }
    if (orders.size === 0 && Object.keys(cart.orderedGroups).length === 0) throw firstFailure;
    const after = store.carts.checkout(cart.customerId, cart.id, {
      orders,
      render: (_cart, created) => JSON.stringify(checkoutJson(created, [])),
    });
    if (after.checkoutResult !== undefined) return JSON.parse(after.checkoutResult) as unknown;
    return checkoutJson(store.carts.ordersOf(after), orderErrors);
  };
}

/** The order of one group of a cart: its lines, each becoming a subscription. */
function newOrder(
  catalog: CatalogStore,
  cart: CartRecord,
  group: string,
  now: () => Date,
  delayMs: number,
): NewOrder {
  const lines = cart.lineItems.filter((line) => line.orderGroup === group);
  return {
    customerId: cart.customerId,
    billingCycle: lines[0]?.billingCycle ?? 'monthly',
    provisionedAt: new Date(now().getTime() + delayMs),
    lineItems: lines.map((line, lineItemNumber) => {
      const [productId = '', skuId = ''] = line.catalogItemId.split(':');
      return {
        lineItemNumber,
        offerId: line.catalogItemId,
        quantity: line.quantity,
        termDuration: line.termDuration,
        friendlyName:
          line.friendlyName ?? catalog.getSku(productId, skuId)?.title ?? line.catalogItemId,
      };
    }),
  };
}
