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
