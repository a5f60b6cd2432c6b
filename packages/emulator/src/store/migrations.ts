/** The emulator's SQLite schema, as ordered migrations applied through `PRAGMA user_version`. */

import type { Database } from 'better-sqlite3';
import { COMMERCE_MIGRATION } from './commerce-schema.js';

/** Each entry moves the schema from version `index` to `index + 1`; never edit a shipped one. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE partners (
    tenant_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    partner_tenant_id TEXT NOT NULL REFERENCES partners(tenant_id),
    tenant_id TEXT NOT NULL,
    domain TEXT NOT NULL COLLATE NOCASE UNIQUE,
    company_name TEXT NOT NULL,
    billing_profile TEXT NOT NULL,
    relationship TEXT NOT NULL,
    etag TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX customers_by_partner ON customers(partner_tenant_id, id);
  CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    billing_cycle TEXT NOT NULL,
    status TEXT NOT NULL,
    etag TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX orders_by_customer ON orders(customer_id, id);
  CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    order_id TEXT NOT NULL REFERENCES orders(id),
    offer_id TEXT NOT NULL,
    friendly_name TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 1),
    status TEXT NOT NULL,
    auto_renew INTEGER NOT NULL,
    billing_cycle TEXT NOT NULL,
    etag TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX subscriptions_by_customer ON subscriptions(customer_id, id);
  CREATE TABLE order_line_items (
    order_id TEXT NOT NULL REFERENCES orders(id),
    line_item_number INTEGER NOT NULL,
    offer_id TEXT NOT NULL,
    subscription_id TEXT NOT NULL REFERENCES subscriptions(id),
    quantity INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_item_number)
  );
  `,
  // 2: MS-RequestId as the idempotency key of creations (a retried POST replays its result).
  `
  CREATE TABLE idempotency_keys (
    partner_tenant_id TEXT NOT NULL REFERENCES partners(tenant_id),
    request_id TEXT NOT NULL,
    operation TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (partner_tenant_id, request_id)
  );
  `,
  // 3: the seeded catalog, carts, order provisioning and terms (src/store/commerce-schema.ts).
  COMMERCE_MIGRATION,
  // 4: invoices and their line items, generated from the orders (src/billing/), and the
  // fingerprint of the orders a partner's invoices were generated from.
  `
  CREATE TABLE billing_state (
    partner_tenant_id TEXT PRIMARY KEY REFERENCES partners(tenant_id),
    fingerprint TEXT NOT NULL
  );
  CREATE TABLE invoices (
    id TEXT PRIMARY KEY,
    partner_tenant_id TEXT NOT NULL REFERENCES partners(tenant_id),
    version TEXT NOT NULL,
    invoice_date TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    total_charges REAL NOT NULL,
    currency_code TEXT NOT NULL,
    line_count INTEGER NOT NULL
  );
  CREATE INDEX invoices_by_partner ON invoices(partner_tenant_id, invoice_date, id);
  CREATE TABLE invoice_line_items (
    invoice_id TEXT NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    partnerId TEXT NOT NULL,
    customerId TEXT NOT NULL,
    customerName TEXT NOT NULL,
    customerDomainName TEXT NOT NULL,
    customerCountry TEXT NOT NULL,
    invoiceNumber TEXT NOT NULL,
    mpnId TEXT NOT NULL,
    resellerMpnId TEXT NOT NULL,
    orderId TEXT NOT NULL,
    orderDate TEXT NOT NULL,
    productId TEXT NOT NULL,
    skuId TEXT NOT NULL,
    availabilityId TEXT NOT NULL,
    productName TEXT NOT NULL,
    skuName TEXT NOT NULL,
    chargeType TEXT NOT NULL,
    unitPrice TEXT NOT NULL,
    effectiveUnitPrice TEXT NOT NULL,
    unitType TEXT NOT NULL,
    quantity TEXT NOT NULL,
    subtotal TEXT NOT NULL,
    taxTotal TEXT NOT NULL,
    totalForCustomer TEXT NOT NULL,
    currency TEXT NOT NULL,
    publisherName TEXT NOT NULL,
    publisherId TEXT NOT NULL,
    subscriptionDescription TEXT NOT NULL,
    subscriptionId TEXT NOT NULL,
    subscriptionStartDate TEXT NOT NULL,
    subscriptionEndDate TEXT NOT NULL,
    chargeStartDate TEXT NOT NULL,
    chargeEndDate TEXT NOT NULL,
    termAndBillingCycle TEXT NOT NULL,
    alternateId TEXT NOT NULL,
    referenceId TEXT NOT NULL,
    priceAdjustmentDescription TEXT NOT NULL,
    discountDetails TEXT NOT NULL,
    pricingCurrency TEXT NOT NULL,
    pcToBCExchangeRate TEXT NOT NULL,
    pcToBCExchangeRateDate TEXT NOT NULL,
    billableQuantity TEXT NOT NULL,
    meterDescription TEXT NOT NULL,
    billingFrequency TEXT NOT NULL,
    reservationOrderId TEXT NOT NULL,
    invoiceLineItemType TEXT NOT NULL,
    billingProvider TEXT NOT NULL,
    promotionId TEXT NOT NULL,
    PRIMARY KEY (invoice_id, seq)
  ) WITHOUT ROWID;
  `,
  // 5: MS-RequestId through @apifault/server's idempotency stage (store/sqlite-idempotency-store.ts):
  // a key's claim, then its stored answer, replaces the table of created resource ids.
  `
  DROP TABLE idempotency_keys;
  CREATE TABLE idempotency_responses (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    token TEXT,
    fingerprint TEXT NOT NULL,
    status INTEGER,
    headers TEXT,
    body BLOB,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
  ) WITHOUT ROWID;
  CREATE INDEX idempotency_responses_by_expiry ON idempotency_responses(expires_at);
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database to {@link SCHEMA_VERSION}, each step in its own transaction, and refuses
 * a database written by a newer emulator rather than guess at its schema.
 */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `apifault: the database has schema version ${current}, newer than this emulator's ${SCHEMA_VERSION}.`,
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    const step = MIGRATIONS[version] as string;
    db.transaction(() => {
      db.exec(step);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
