/** The `orders` and `order_line_items` tables: orders, each line creating a subscription. */

import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { newEtag } from './etag.js';
import type { LineItemRecord, NewOrder, OrderRecord } from './records.js';
import type { SubscriptionStore } from './subscriptions.js';

interface OrderRow {
  id: string;
  customer_id: string;
  billing_cycle: string;
  status: string;
  etag: string;
  created_at: string;
  provisioned_at: string | null;
}

interface LineItemRow {
  order_id: string;
  line_item_number: number;
  offer_id: string;
  subscription_id: string;
  quantity: number;
  term_duration: string | null;
}

function toLineItem(row: LineItemRow): LineItemRecord {
  return {
    lineItemNumber: row.line_item_number,
    offerId: row.offer_id,
    subscriptionId: row.subscription_id,
    quantity: row.quantity,
    ...(row.term_duration === null ? {} : { termDuration: row.term_duration }),
  };
}

/** What {@link OrderStore} needs besides its database. */
export interface OrderStoreParts {
  readonly subscriptions: SubscriptionStore;
  readonly now: () => Date;
}

/** Reads orders and creates them with their subscriptions, in one transaction. */
export class OrderStore {
  readonly #db: Database.Database;
  readonly #parts: OrderStoreParts;
  readonly #statements;

  constructor(db: Database.Database, parts: OrderStoreParts) {
    this.#db = db;
    this.#parts = parts;
    this.#statements = {
      get: db.prepare<[string, string], OrderRow>(
        'SELECT * FROM orders WHERE customer_id = ? AND id = ?',
      ),
      list: db.prepare<[string], OrderRow>(
        'SELECT * FROM orders WHERE customer_id = ? ORDER BY created_at, id',
      ),
      insert: db.prepare(
        `INSERT INTO orders (id, customer_id, billing_cycle, status, etag, created_at, provisioned_at)
         VALUES (@id, @customer_id, @billing_cycle, @status, @etag, @created_at, @provisioned_at)`,
      ),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM orders'),
      lineItems: db.prepare<[string], LineItemRow>(
        'SELECT * FROM order_line_items WHERE order_id = ? ORDER BY line_item_number',
      ),
      insertLineItem: db.prepare(
        `INSERT INTO order_line_items (order_id, line_item_number, offer_id, subscription_id, quantity, term_duration)
         VALUES (@order_id, @line_item_number, @offer_id, @subscription_id, @quantity, @term_duration)`,
      ),
    };
  }

  /** One order of a customer, with its line items. */
  get(customerId: string, id: string): OrderRecord | undefined {
    const row = this.#statements.get.get(customerId, id);
    return row ? this.#toOrder(row) : undefined;
  }

  /** Every order of a customer. */
  list(customerId: string): OrderRecord[] {
    return this.#statements.list.all(customerId).map((row) => this.#toOrder(row));
  }

  /** Creates the order, its line items and one subscription per line, in one transaction. */
  create(input: NewOrder, createdAt = this.#parts.now()): OrderRecord {
    const { subscriptions } = this.#parts;
    return this.#db
      .transaction(() => {
        const at = createdAt.toISOString();
        const order: OrderRow = {
          id: input.id ?? randomUUID(),
          customer_id: input.customerId,
          billing_cycle: input.billingCycle,
          status: input.provisionedAt ? 'pending' : 'completed',
          etag: newEtag(),
          created_at: at,
          provisioned_at: input.provisionedAt?.toISOString() ?? null,
        };
        this.#statements.insert.run(order);
        for (const line of input.lineItems) {
          const subscriptionId = randomUUID();
          subscriptions.insert({
            id: subscriptionId,
            customerId: input.customerId,
            orderId: order.id,
            offerId: line.offerId,
            friendlyName: line.friendlyName ?? line.offerId,
            quantity: line.quantity,
            status: 'active',
            autoRenewEnabled: true,
            billingCycle: input.billingCycle,
            etag: newEtag(),
            createdAt: at,
            updatedAt: at,
            ...(line.termDuration === undefined ? {} : { termDuration: line.termDuration }),
          });
          this.#statements.insertLineItem.run({
            order_id: order.id,
            line_item_number: line.lineItemNumber,
            offer_id: line.offerId,
            subscription_id: subscriptionId,
            quantity: line.quantity,
            term_duration: line.termDuration ?? null,
          } satisfies LineItemRow);
        }
        return this.#toOrder(order);
      })
      .immediate();
  }

  /** Every order ever created, for counting in tests ("nothing bought twice"). */
  count(): number {
    return this.#statements.count.get()?.n ?? 0;
  }

  #toOrder(row: OrderRow): OrderRecord {
    // A pending order completes when its provisioning time has passed: polling sees it move.
    const provisioned =
      row.provisioned_at === null || Date.parse(row.provisioned_at) <= this.#parts.now().getTime();
    return {
      id: row.id,
      customerId: row.customer_id,
      billingCycle: row.billing_cycle,
      status: row.status === 'pending' && provisioned ? 'completed' : row.status,
      ...(row.provisioned_at === null ? {} : { provisionedAt: row.provisioned_at }),
      etag: row.etag,
      createdAt: row.created_at,
      lineItems: this.#statements.lineItems.all(row.id).map(toLineItem),
    };
  }
}
