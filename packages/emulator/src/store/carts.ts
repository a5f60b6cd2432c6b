/**
 * The `carts` table: a customer's carts, their compare-and-set update, and the checkout's
 * single transaction that writes the orders (with their subscriptions) and marks the cart.
 */

import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { newEtag } from './etag.js';
import type { OrderStore } from './orders.js';
import type { NewOrder, OrderRecord } from './records.js';

/** How long a cart may be checked out after its creation: 7 days. */
export const CART_LIFETIME_MS = 7 * 24 * 3600 * 1000;

/** A cart's status, as Partner Center spells it. */
export type CartStatus = 'Active' | 'Ordered';

/** One line of a cart, validated against the catalog. */
export interface CartLineRecord {
  id: number;
  catalogItemId: string;
  quantity: number;
  /** Lower-case, as carts and orders spell it (`monthly`, `annual`, `triennial`). */
  billingCycle: string;
  termDuration: string;
  currencyCode: string;
  /** The lines of one group become one order. */
  orderGroup: string;
  friendlyName?: string;
}

/** A stored cart. */
export interface CartRecord {
  id: string;
  customerId: string;
  status: CartStatus;
  lineItems: CartLineRecord[];
  /** Order group → the order a checkout created for it. */
  orderedGroups: Record<string, string>;
  /** The answer of the checkout that ordered the whole cart (JSON text), replayed afterwards. */
  checkoutResult?: string;
  lastModifiedUser: string;
  etag: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
}

interface CartRow {
  id: string;
  customer_id: string;
  status: string;
  line_items: string;
  ordered_groups: string;
  checkout_result: string | null;
  last_modified_user: string;
  etag: string;
  created_at: string;
  updated_at: string;
  expires_at: string;
}

function toCart(row: CartRow): CartRecord {
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status as CartStatus,
    lineItems: JSON.parse(row.line_items) as CartLineRecord[],
    orderedGroups: JSON.parse(row.ordered_groups) as Record<string, string>,
    ...(row.checkout_result === null ? {} : { checkoutResult: row.checkout_result }),
    lastModifiedUser: row.last_modified_user,
    etag: row.etag,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
  };
}

/** What a checkout writes: one order per order group, for the groups commerce accepted. */
export interface CheckoutWrite {
  /** Order group → the order to create for it. */
  orders: ReadonlyMap<string, NewOrder>;
  /** Renders the whole cart's result once every group is ordered; stored for replays. */
  render(cart: CartRecord, orders: OrderRecord[]): string;
}

/** Creates, reads and updates carts; checks them out through the order store. */
export class CartStore {
  readonly #db: Database.Database;
  readonly #orders: OrderStore;
  readonly #now: () => Date;
  readonly #statements;

  constructor(db: Database.Database, parts: { orders: OrderStore; now: () => Date }) {
    this.#db = db;
    this.#orders = parts.orders;
    this.#now = parts.now;
    this.#statements = {
      get: db.prepare<[string, string], CartRow>(
        'SELECT * FROM carts WHERE customer_id = ? AND id = ?',
      ),
      insert: db.prepare(
        `INSERT INTO carts (id, customer_id, status, line_items, ordered_groups, checkout_result,
          last_modified_user, etag, created_at, updated_at, expires_at)
         VALUES (@id, @customer_id, @status, @line_items, @ordered_groups, @checkout_result,
          @last_modified_user, @etag, @created_at, @updated_at, @expires_at)`,
      ),
      update: db.prepare(
        `UPDATE carts SET line_items = @line_items, last_modified_user = @last_modified_user,
          etag = @new_etag, updated_at = @updated_at
         WHERE customer_id = @customer_id AND id = @id AND etag = @etag AND status = 'Active'`,
      ),
      order: db.prepare(
        `UPDATE carts SET status = @status, ordered_groups = @ordered_groups,
          checkout_result = @checkout_result, etag = @etag, updated_at = @updated_at
         WHERE id = @id`,
      ),
    };
  }

  /** A new Active cart, expiring {@link CART_LIFETIME_MS} after now. */
  create(customerId: string, lineItems: CartLineRecord[], user: string): CartRecord {
    const now = this.#now();
    const row: CartRow = {
      id: randomUUID(),
      customer_id: customerId,
      status: 'Active',
      line_items: JSON.stringify(lineItems),
      ordered_groups: '{}',
      checkout_result: null,
      last_modified_user: user,
      etag: newEtag(),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      expires_at: new Date(now.getTime() + CART_LIFETIME_MS).toISOString(),
    };
    this.#statements.insert.run(row);
    return toCart(row);
  }

  /** One cart of a customer. */
  get(customerId: string, id: string): CartRecord | undefined {
    const row = this.#statements.get.get(customerId, id);
    return row ? toCart(row) : undefined;
  }

  /**
   * Replaces the line items if the stored ETag is still `etag` and the cart is still Active
   * (compare-and-set in one UPDATE); undefined when another write came first.
   */
  replaceLineItems(
    current: CartRecord,
    etag: string,
    lineItems: CartLineRecord[],
    user: string,
  ): CartRecord | undefined {
    const next: CartRecord = {
      ...current,
      lineItems,
      lastModifiedUser: user,
      etag: newEtag(),
      updatedAt: this.#now().toISOString(),
    };
    const result = this.#statements.update.run({
      customer_id: current.customerId,
      id: current.id,
      etag,
      line_items: JSON.stringify(lineItems),
      last_modified_user: user,
      new_etag: next.etag,
      updated_at: next.updatedAt,
    });
    return result.changes === 1 ? next : undefined;
  }

  /**
   * One transaction: re-reads the cart, creates the orders (and their subscriptions) of the
   * groups not ordered yet, records them, and when every group is ordered marks the cart
   * Ordered with the rendered result. A cart another checkout finished meanwhile is returned
   * as it is: nothing is bought twice.
   */
  checkout(customerId: string, cartId: string, write: CheckoutWrite): CartRecord {
    return this.#db
      .transaction(() => {
        const cart = this.get(customerId, cartId);
        if (!cart) throw new Error(`cart ${cartId} vanished during checkout`);
        if (cart.status === 'Ordered') return cart;
        const orderedGroups = { ...cart.orderedGroups };
        for (const [group, order] of write.orders) {
          if (orderedGroups[group] !== undefined) continue;
          orderedGroups[group] = this.#orders.create(order).id;
        }
        const groups = new Set(cart.lineItems.map((line) => line.orderGroup));
        const complete = [...groups].every((group) => orderedGroups[group] !== undefined);
        const next: CartRecord = {
          ...cart,
          status: complete ? 'Ordered' : 'Active',
          orderedGroups,
          etag: newEtag(),
          updatedAt: this.#now().toISOString(),
        };
        if (complete) next.checkoutResult = write.render(next, this.ordersOf(next));
        this.#statements.order.run({
          id: cart.id,
          status: next.status,
          ordered_groups: JSON.stringify(orderedGroups),
          checkout_result: next.checkoutResult ?? null,
          etag: next.etag,
          updated_at: next.updatedAt,
        });
        return next;
      })
      .immediate();
  }

  /** The orders a cart's checkouts created, in order-group order. */
  ordersOf(cart: CartRecord): OrderRecord[] {
    return Object.keys(cart.orderedGroups)
      .sort((a, b) => Number(a) - Number(b))
      .map((group) => this.#orders.get(cart.customerId, cart.orderedGroups[group] as string))
      .filter((order): order is OrderRecord => order !== undefined);
  }
}
