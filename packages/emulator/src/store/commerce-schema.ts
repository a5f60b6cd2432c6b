/**
 * The schema step of the purchase flow: the seeded catalog, carts, the provisioning time of
 * orders and the term of subscriptions and order lines. One entry of the migration list.
 */

import { catalogSeedSql } from './catalog-data.js';

/** The migration that adds the catalog (seeded), carts, and order provisioning. */
export const COMMERCE_MIGRATION = `
  CREATE TABLE catalog_products (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    target_view TEXT NOT NULL
  );
  CREATE TABLE catalog_skus (
    product_id TEXT NOT NULL REFERENCES catalog_products(id),
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    minimum_quantity INTEGER NOT NULL,
    maximum_quantity INTEGER NOT NULL,
    PRIMARY KEY (product_id, id)
  );
  CREATE TABLE catalog_availabilities (
    product_id TEXT NOT NULL,
    sku_id TEXT NOT NULL,
    id TEXT NOT NULL,
    country TEXT NOT NULL,
    currency TEXT NOT NULL,
    segment TEXT NOT NULL,
    is_purchasable INTEGER NOT NULL,
    terms TEXT NOT NULL,
    PRIMARY KEY (product_id, sku_id, id),
    FOREIGN KEY (product_id, sku_id) REFERENCES catalog_skus(product_id, id)
  );
  CREATE TABLE carts (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    status TEXT NOT NULL,
    line_items TEXT NOT NULL,
    ordered_groups TEXT NOT NULL,
    checkout_result TEXT,
    last_modified_user TEXT NOT NULL,
    etag TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX carts_by_customer ON carts(customer_id, id);
  ALTER TABLE orders ADD COLUMN provisioned_at TEXT;
  ALTER TABLE order_line_items ADD COLUMN term_duration TEXT;
  ALTER TABLE subscriptions ADD COLUMN term_duration TEXT;
  ${catalogSeedSql()}
`;
