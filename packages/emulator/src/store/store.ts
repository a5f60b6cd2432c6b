/** The emulator's data access: every read and write of partners, customers, subscriptions and orders. */

import { randomBytes, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
  BillingProfile,
  CustomerRecord,
  LineItemRecord,
  NewCustomer,
  NewOrder,
  OrderRecord,
  SubscriptionChanges,
  SubscriptionRecord,
  SubscriptionStatus,
} from './records.js';

/** A fresh opaque entity tag; a new one on every write. */
export function newEtag(): string {
  return randomBytes(12).toString('base64url');
}

interface CustomerRow {
  id: string;
  partner_tenant_id: string;
  tenant_id: string;
  domain: string;
  company_name: string;
  billing_profile: string;
  relationship: string;
  etag: string;
  created_at: string;
}

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
}

interface OrderRow {
  id: string;
  customer_id: string;
  billing_cycle: string;
  status: string;
  etag: string;
  created_at: string;
}

interface LineItemRow {
  order_id: string;
  line_item_number: number;
  offer_id: string;
  subscription_id: string;
  quantity: number;
}

function toCustomer(row: CustomerRow): CustomerRecord {
  return {
    id: row.id,
    partnerTenantId: row.partner_tenant_id,
    tenantId: row.tenant_id,
    domain: row.domain,
    companyName: row.company_name,
    billingProfile: JSON.parse(row.billing_profile) as BillingProfile,
    relationship: row.relationship,
    etag: row.etag,
    createdAt: row.created_at,
  };
}

// The columns of a customer in the order of CUSTOMER_COLUMNS: the by-id lookup, on every
// customer-scoped request, reads rows as arrays, which better-sqlite3 builds faster than objects.
const CUSTOMER_COLUMNS =
  'id, partner_tenant_id, tenant_id, domain, company_name, billing_profile, relationship, etag, created_at';
/** How many customers {@link EmulatorStore.getCustomer} keeps read. */
const CUSTOMER_CACHE_SIZE = 10_000;

type CustomerTuple = [string, string, string, string, string, string, string, string, string];

/**
 * A customer read by id. Its billing profile stays the JSON text it is stored as until
 * something reads `billingProfile`.
 */
export class StoredCustomer implements CustomerRecord {
  readonly id: string;
  readonly partnerTenantId: string;
  readonly tenantId: string;
  readonly domain: string;
  readonly companyName: string;
  readonly relationship: string;
  readonly etag: string;
  readonly createdAt: string;
  /** The billing profile as stored: the `JSON.stringify` of a {@link BillingProfile}. */
  readonly billingProfileJson: string;
  #billingProfile: BillingProfile | undefined;

  constructor(row: CustomerTuple) {
    this.id = row[0];
    this.partnerTenantId = row[1];
    this.tenantId = row[2];
    this.domain = row[3];
    this.companyName = row[4];
    this.billingProfileJson = row[5];
    this.relationship = row[6];
    this.etag = row[7];
    this.createdAt = row[8];
  }

  /** The billing profile, parsed on first use. */
  get billingProfile(): BillingProfile {
    this.#billingProfile ??= JSON.parse(this.billingProfileJson) as BillingProfile;
    return this.#billingProfile;
  }
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
  };
}

function toLineItem(row: LineItemRow): LineItemRecord {
  return {
    lineItemNumber: row.line_item_number,
    offerId: row.offer_id,
    subscriptionId: row.subscription_id,
    quantity: row.quantity,
  };
}

/** A caller's `MS-RequestId`, scoped to its partner: the idempotency key of a creation. */
export interface IdempotencyKey {
  /** The partner tenant that sent the request. */
  partnerTenantId: string;
  /** The `MS-RequestId` it sent. */
  requestId: string;
}

/** Thrown by {@link EmulatorStore.createCustomer} when the domain is taken. */
export class DuplicateDomainError extends Error {
  override name = 'DuplicateDomainError' as const;
  /** The customer that already holds the domain. */
  readonly existing: CustomerRecord;
  constructor(existing: CustomerRecord) {
    super(`The domain ${existing.domain} is already taken.`);
    this.existing = existing;
  }
}

/**
 * All SQL of the emulator, on prepared statements. better-sqlite3 is synchronous, so each
 * method is atomic with respect to the event loop; the compare-and-set on ETags is atomic in
 * SQL as well, so it holds across processes sharing the file.
 */
export class EmulatorStore {
  /** The open better-sqlite3 database. */
  readonly db: Database.Database;
  readonly #now: () => Date;
  readonly #statements;
  /**
   * Customers read by id. A customer row is never updated or deleted (no statement here
   * does either; a test holds the store to that), so a row once read stays true, for every
   * process sharing the file: the cache needs no invalidation. Ids not found are not kept,
   * since another process may create them.
   */
  readonly #customers = new Map<string, StoredCustomer>();

  constructor(db: Database.Database, now: () => Date = () => new Date()) {
    this.db = db;
    this.#now = now;
    this.#statements = {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      putMeta: db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)'),
      getPartner: db.prepare<[string], { tenant_id: string }>(
        'SELECT tenant_id FROM partners WHERE tenant_id = ?',
      ),
      putPartner: db.prepare(
        'INSERT OR IGNORE INTO partners (tenant_id, name, created_at) VALUES (?, ?, ?)',
      ),
      countCustomers: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM customers'),
      getCustomer: db
        .prepare<[string], CustomerTuple>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = ?`)
        .raw(true),
      customerPartner: db
        .prepare<[string], { partner_tenant_id: string }>(
          'SELECT partner_tenant_id FROM customers WHERE id = ?',
        )
        .pluck(),
      getCustomerByDomain: db.prepare<[string], CustomerRow>(
        'SELECT * FROM customers WHERE domain = ?',
      ),
      listCustomers: db.prepare<[string, string, number], CustomerRow>(
        'SELECT * FROM customers WHERE partner_tenant_id = ? AND id > ? ORDER BY id LIMIT ?',
      ),
      insertCustomer: db.prepare(
        `INSERT INTO customers (id, partner_tenant_id, tenant_id, domain, company_name,
          billing_profile, relationship, etag, created_at)
         VALUES (@id, @partner_tenant_id, @tenant_id, @domain, @company_name,
          @billing_profile, @relationship, @etag, @created_at)`,
      ),
      getSubscription: db.prepare<[string, string], SubscriptionRow>(
        'SELECT * FROM subscriptions WHERE customer_id = ? AND id = ?',
      ),
      listSubscriptions: db.prepare<[string], SubscriptionRow>(
        'SELECT * FROM subscriptions WHERE customer_id = ? ORDER BY created_at, id',
      ),
      insertSubscription: db.prepare(
        `INSERT INTO subscriptions (id, customer_id, order_id, offer_id, friendly_name, quantity,
          status, auto_renew, billing_cycle, etag, created_at, updated_at)
         VALUES (@id, @customer_id, @order_id, @offer_id, @friendly_name, @quantity,
          @status, @auto_renew, @billing_cycle, @etag, @created_at, @updated_at)`,
      ),
      updateSubscription: db.prepare(
        `UPDATE subscriptions SET quantity = @quantity, friendly_name = @friendly_name,
          status = @status, auto_renew = @auto_renew, etag = @new_etag, updated_at = @updated_at
         WHERE customer_id = @customer_id AND id = @id AND etag = @etag`,
      ),
      getOrder: db.prepare<[string, string], OrderRow>(
        'SELECT * FROM orders WHERE customer_id = ? AND id = ?',
      ),
      listOrders: db.prepare<[string], OrderRow>(
        'SELECT * FROM orders WHERE customer_id = ? ORDER BY created_at, id',
      ),
      insertOrder: db.prepare(
        `INSERT INTO orders (id, customer_id, billing_cycle, status, etag, created_at)
         VALUES (@id, @customer_id, @billing_cycle, @status, @etag, @created_at)`,
      ),
      getKey: db.prepare<[string, string], { operation: string; resource_id: string }>(
        'SELECT operation, resource_id FROM idempotency_keys WHERE partner_tenant_id = ? AND request_id = ?',
      ),
      putKey: db.prepare(
        `INSERT INTO idempotency_keys (partner_tenant_id, request_id, operation, resource_id, created_at)
         VALUES (?, ?, ?, ?, ?)`,
      ),
      lineItems: db.prepare<[string], LineItemRow>(
        'SELECT * FROM order_line_items WHERE order_id = ? ORDER BY line_item_number',
      ),
      insertLineItem: db.prepare(
        `INSERT INTO order_line_items (order_id, line_item_number, offer_id, subscription_id, quantity)
         VALUES (@order_id, @line_item_number, @offer_id, @subscription_id, @quantity)`,
      ),
    };
  }

  /** Reads a value kept in the `meta` table. */
  getMeta(key: string): string | undefined {
    return this.#statements.getMeta.get(key)?.value;
  }

  /** Stores `value` under `key` unless one is there already; returns the stored value. */
  ensureMeta(key: string, value: string): string {
    this.#statements.putMeta.run(key, value);
    return this.getMeta(key) as string;
  }

  /** Whether the partner tenant is known. */
  hasPartner(tenantId: string): boolean {
    return this.#statements.getPartner.get(tenantId) !== undefined;
  }

  /** Registers a partner tenant if new. */
  ensurePartner(tenantId: string, name = tenantId): void {
    this.#statements.putPartner.run(tenantId, name, this.#now().toISOString());
  }

  /** How many customers exist, across partners. */
  countCustomers(): number {
    return this.#statements.countCustomers.get()?.n ?? 0;
  }

  /** One customer by id, whatever its partner. */
  getCustomer(id: string): CustomerRecord | undefined {
    const known = this.#customers.get(id);
    if (known !== undefined) return known;
    const row = this.#statements.getCustomer.get(id) as CustomerTuple | undefined;
    if (row === undefined) return undefined;
    const customer = new StoredCustomer(row);
    // A row read inside a transaction could still be rolled back with it.
    if (!this.db.inTransaction) {
      if (this.#customers.size >= CUSTOMER_CACHE_SIZE) {
        // The oldest entry first: a Map iterates in insertion order.
        this.#customers.delete(this.#customers.keys().next().value as string);
      }
      this.#customers.set(id, customer);
    }
    return customer;
  }

  /** The partner tenant that owns a customer, without reading the rest of it. */
  customerPartner(id: string): string | undefined {
    return this.#statements.customerPartner.get(id) as string | undefined;
  }

  /** One page of a partner's customers, by id, strictly after `afterId`. */
  listCustomers(partnerTenantId: string, afterId: string, limit: number): CustomerRecord[] {
    return this.#statements.listCustomers.all(partnerTenantId, afterId, limit).map(toCustomer);
  }

  /**
   * Creates a customer; throws {@link DuplicateDomainError} when the domain is taken. With a
   * `key` seen before, returns the customer that request created instead (a retry).
   */
  createCustomer(
    input: NewCustomer,
    createdAt = this.#now(),
    key?: IdempotencyKey,
  ): CustomerRecord {
    return this.db
      .transaction(() => {
        const replay = this.#replayed(key, 'customer');
        const replayed = replay === undefined ? undefined : this.getCustomer(replay);
        if (replayed) return replayed;
        const existing = this.#statements.getCustomerByDomain.get(input.domain);
        if (existing) throw new DuplicateDomainError(toCustomer(existing));
        this.ensurePartner(input.partnerTenantId);
        const row: CustomerRow = {
          id: input.id ?? randomUUID(),
          partner_tenant_id: input.partnerTenantId,
          tenant_id: input.tenantId ?? randomUUID(),
          domain: input.domain,
          company_name: input.companyName,
          billing_profile: JSON.stringify(input.billingProfile),
          relationship: 'reseller',
          etag: newEtag(),
          created_at: createdAt.toISOString(),
        };
        this.#statements.insertCustomer.run(row);
        this.#remember(key, 'customer', row.id, createdAt);
        return toCustomer(row);
      })
      .immediate();
  }

  /** One subscription of a customer. */
  getSubscription(customerId: string, id: string): SubscriptionRecord | undefined {
    const row = this.#statements.getSubscription.get(customerId, id);
    return row ? toSubscription(row) : undefined;
  }

  /** Every subscription of a customer. */
  listSubscriptions(customerId: string): SubscriptionRecord[] {
    return this.#statements.listSubscriptions.all(customerId).map(toSubscription);
  }

  /**
   * Applies `changes` only if the stored ETag is still `etag` (compare-and-set in one UPDATE);
   * returns the updated subscription, or undefined when the ETag moved on meanwhile.
   */
  updateSubscription(
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
    const result = this.#statements.updateSubscription.run({
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

  /** One order of a customer, with its line items. */
  getOrder(customerId: string, id: string): OrderRecord | undefined {
    const row = this.#statements.getOrder.get(customerId, id);
    return row ? this.#toOrder(row) : undefined;
  }

  /** Every order of a customer. */
  listOrders(customerId: string): OrderRecord[] {
    return this.#statements.listOrders.all(customerId).map((row) => this.#toOrder(row));
  }

  /**
   * Creates the order, its line items and one subscription per line, in one transaction. With
   * a `key` seen before, returns the order that request created instead (a retry).
   */
  createOrder(input: NewOrder, createdAt = this.#now(), key?: IdempotencyKey): OrderRecord {
    return this.db
      .transaction(() => {
        const replay = this.#replayed(key, `order:${input.customerId}`);
        const replayed = replay === undefined ? undefined : this.getOrder(input.customerId, replay);
        if (replayed) return replayed;
        const at = createdAt.toISOString();
        const order: OrderRow = {
          id: input.id ?? randomUUID(),
          customer_id: input.customerId,
          billing_cycle: input.billingCycle,
          status: 'completed',
          etag: newEtag(),
          created_at: at,
        };
        this.#statements.insertOrder.run(order);
        for (const line of input.lineItems) {
          const subscriptionId = randomUUID();
          this.#statements.insertSubscription.run({
            id: subscriptionId,
            customer_id: input.customerId,
            order_id: order.id,
            offer_id: line.offerId,
            friendly_name: line.friendlyName ?? line.offerId,
            quantity: line.quantity,
            status: 'active',
            auto_renew: 1,
            billing_cycle: input.billingCycle,
            etag: newEtag(),
            created_at: at,
            updated_at: at,
          } satisfies SubscriptionRow);
          this.#statements.insertLineItem.run({
            order_id: order.id,
            line_item_number: line.lineItemNumber,
            offer_id: line.offerId,
            subscription_id: subscriptionId,
            quantity: line.quantity,
          } satisfies LineItemRow);
        }
        this.#remember(key, `order:${input.customerId}`, order.id, createdAt);
        return this.#toOrder(order);
      })
      .immediate();
  }

  /** The resource a key created for `operation`; a key reused for another operation is ignored. */
  #replayed(key: IdempotencyKey | undefined, operation: string): string | undefined {
    if (!key) return undefined;
    const row = this.#statements.getKey.get(key.partnerTenantId, key.requestId);
    return row && row.operation === operation ? row.resource_id : undefined;
  }

  #remember(key: IdempotencyKey | undefined, operation: string, id: string, at: Date): void {
    if (!key || this.#statements.getKey.get(key.partnerTenantId, key.requestId)) return;
    this.ensurePartner(key.partnerTenantId);
    this.#statements.putKey.run(
      key.partnerTenantId,
      key.requestId,
      operation,
      id,
      at.toISOString(),
    );
  }

  #toOrder(row: OrderRow): OrderRecord {
    return {
      id: row.id,
      customerId: row.customer_id,
      billingCycle: row.billing_cycle,
      status: row.status,
      etag: row.etag,
      createdAt: row.created_at,
      lineItems: this.#statements.lineItems.all(row.id).map(toLineItem),
    };
  }

  /** Closes the database. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
