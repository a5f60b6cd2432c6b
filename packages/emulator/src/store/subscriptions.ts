/** The `subscriptions` table: a customer's subscriptions, and their compare-and-set update. */

import type Database from 'better-sqlite3';
import { newEtag } from './etag.js';
import type { SubscriptionChanges, SubscriptionRecord, SubscriptionStatus } from './records.js';

interface SubscriptionRow {
  id: string;
  customer_id: string;
  order_id: string;
  offer_id: string;
  friendly_name: string;
  quantity: number;
  status: string;
  auto_renew: number;
  billing_cycle: string;
  etag: string;
  created_at: string;
  updated_at: string;
  term_duration: string | null;
}

function toSubscription(row: SubscriptionRow): SubscriptionRecord {
  return {
    id: row.id,
    customerId: row.customer_id,
    orderId: row.order_id,
    offerId: row.offer_id,
    friendlyName: row.friendly_name,
    quantity: row.quantity,
    status: row.status as SubscriptionStatus,
    autoRenewEnabled: row.auto_renew === 1,
    billingCycle: row.billing_cycle,
    etag: row.etag,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.term_duration === null ? {} : { termDuration: row.term_duration }),
  };
}

/**
 * Reads, adds and updates subscriptions. The update is a compare-and-set on the ETag in one
 * `UPDATE`, so it holds across processes sharing the file.
 */
export class SubscriptionStore {
  readonly #now: () => Date;
  readonly #statements;

  constructor(db: Database.Database, now: () => Date) {
    this.#now = now;
    this.#statements = {
      get: db.prepare<[string, string], SubscriptionRow>(
        'SELECT * FROM subscriptions WHERE customer_id = ? AND id = ?',
      ),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM subscriptions'),
      list: db.prepare<[string], SubscriptionRow>(
        'SELECT * FROM subscriptions WHERE customer_id = ? ORDER BY created_at, id',
      ),
      insert: db.prepare(
        `INSERT INTO subscriptions (id, customer_id, order_id, offer_id, friendly_name, quantity,
          status, auto_renew, billing_cycle, etag, created_at, updated_at, term_duration)
         VALUES (@id, @customer_id, @order_id, @offer_id, @friendly_name, @quantity,
          @status, @auto_renew, @billing_cycle, @etag, @created_at, @updated_at, @term_duration)`,
      ),
      update: db.prepare(
        `UPDATE subscriptions SET quantity = @quantity, friendly_name = @friendly_name,
          status = @status, auto_renew = @auto_renew, etag = @new_etag, updated_at = @updated_at
         WHERE customer_id = @customer_id AND id = @id AND etag = @etag`,
      ),
    };
  }

  /** One subscription of a customer. */
  get(customerId: string, id: string): SubscriptionRecord | undefined {
    const row = this.#statements.get.get(customerId, id);
    return row ? toSubscription(row) : undefined;
  }

  /** Every subscription ever created, for counting in tests ("nothing bought twice"). */
  count(): number {
    return this.#statements.count.get()?.n ?? 0;
  }

  /** Every subscription of a customer. */
  list(customerId: string): SubscriptionRecord[] {
    return this.#statements.list.all(customerId).map(toSubscription);
  }

  /** Adds a subscription (order creation does, inside its transaction). */
  insert(subscription: SubscriptionRecord): void {
    this.#statements.insert.run({
      id: subscription.id,
      customer_id: subscription.customerId,
      order_id: subscription.orderId,
      offer_id: subscription.offerId,
      friendly_name: subscription.friendlyName,
      quantity: subscription.quantity,
      status: subscription.status,
      auto_renew: subscription.autoRenewEnabled ? 1 : 0,
      billing_cycle: subscription.billingCycle,
      etag: subscription.etag,
      created_at: subscription.createdAt,
      updated_at: subscription.updatedAt,
      term_duration: subscription.termDuration ?? null,
    } satisfies SubscriptionRow);
  }

  /**
   * Applies `changes` only if the stored ETag is still `etag` (compare-and-set in one UPDATE);
   * returns the updated subscription, or undefined when the ETag moved on meanwhile.
   */
  update(
    current: SubscriptionRecord,
    etag: string,
    changes: SubscriptionChanges,
  ): SubscriptionRecord | undefined {
    const next: SubscriptionRecord = {
      ...current,
      quantity: changes.quantity ?? current.quantity,
      friendlyName: changes.friendlyName ?? current.friendlyName,
      status: changes.status ?? current.status,
      autoRenewEnabled: changes.autoRenewEnabled ?? current.autoRenewEnabled,
      etag: newEtag(),
      updatedAt: this.#now().toISOString(),
    };
    const result = this.#statements.update.run({
      customer_id: current.customerId,
      id: current.id,
      etag,
      quantity: next.quantity,
      friendly_name: next.friendlyName,
      status: next.status,
      auto_renew: next.autoRenewEnabled ? 1 : 0,
      new_etag: next.etag,
      updated_at: next.updatedAt,
    });
    return result.changes === 1 ? next : undefined;
  }
}
