/** The catalog tables (read-only, seeded by migration): products, their SKUs and availabilities. */

import type Database from 'better-sqlite3';
import type { CatalogTerm } from './catalog-data.js';

/** A product. */
export interface ProductRecord {
  id: string;
  title: string;
  description: string;
  targetView: string;
}

/** A SKU of a product, with the quantities it may be bought in. */
export interface SkuRecord {
  productId: string;
  id: string;
  title: string;
  description: string;
  minimumQuantity: number;
  maximumQuantity: number;
}

/** Where and for which terms a SKU can be bought. */
export interface AvailabilityRecord {
  productId: string;
  skuId: string;
  id: string;
  country: string;
  currency: string;
  segment: string;
  isPurchasable: boolean;
  terms: CatalogTerm[];
}

interface SkuRow {
  product_id: string;
  id: string;
  title: string;
  description: string;
  minimum_quantity: number;
  maximum_quantity: number;
}

interface AvailabilityRow {
  product_id: string;
  sku_id: string;
  id: string;
  country: string;
  currency: string;
  segment: string;
  is_purchasable: number;
  terms: string;
}

function toSku(row: SkuRow): SkuRecord {
  return {
    productId: row.product_id,
    id: row.id,
    title: row.title,
    description: row.description,
    minimumQuantity: row.minimum_quantity,
    maximumQuantity: row.maximum_quantity,
  };
}

function toAvailability(row: AvailabilityRow): AvailabilityRecord {
  return {
    productId: row.product_id,
    skuId: row.sku_id,
    id: row.id,
    country: row.country,
    currency: row.currency,
    segment: row.segment,
    isPurchasable: row.is_purchasable === 1,
    terms: JSON.parse(row.terms) as CatalogTerm[],
  };
}

/** Reads the catalog. A product is listed in a country when one of its SKUs is available there. */
export class CatalogStore {
  readonly #statements;

  constructor(db: Database.Database) {
    this.#statements = {
      products: db.prepare<[string, string], ProductRecord>(
        `SELECT id, title, description, target_view AS targetView FROM catalog_products p
         WHERE target_view = ? AND EXISTS (SELECT 1 FROM catalog_availabilities a
           WHERE a.product_id = p.id AND a.country = ? COLLATE NOCASE) ORDER BY id`,
      ),
      product: db.prepare<[string], ProductRecord>(
        'SELECT id, title, description, target_view AS targetView FROM catalog_products WHERE id = ?',
      ),
      skus: db.prepare<[string], SkuRow>(
        'SELECT * FROM catalog_skus WHERE product_id = ? ORDER BY id',
      ),
      sku: db.prepare<[string, string], SkuRow>(
        'SELECT * FROM catalog_skus WHERE product_id = ? AND id = ?',
      ),
      availabilities: db.prepare<[string, string, string], AvailabilityRow>(
        `SELECT * FROM catalog_availabilities WHERE product_id = ? AND sku_id = ?
         AND country = ? COLLATE NOCASE ORDER BY id`,
      ),
      availability: db.prepare<[string, string, string], AvailabilityRow>(
        'SELECT * FROM catalog_availabilities WHERE product_id = ? AND sku_id = ? AND id = ?',
      ),
    };
  }

  /** The products of a catalog view offered in `country`. */
  listProducts(targetView: string, country: string): ProductRecord[] {
    return this.#statements.products.all(targetView, country);
  }

  /** One product. */
  getProduct(id: string): ProductRecord | undefined {
    return this.#statements.product.get(id);
  }

  /** The SKUs of a product. */
  listSkus(productId: string): SkuRecord[] {
    return this.#statements.skus.all(productId).map(toSku);
  }

  /** One SKU of a product. */
  getSku(productId: string, id: string): SkuRecord | undefined {
    const row = this.#statements.sku.get(productId, id);
    return row ? toSku(row) : undefined;
  }

  /** The availabilities of a SKU in `country`. */
  listAvailabilities(productId: string, skuId: string, country: string): AvailabilityRecord[] {
    return this.#statements.availabilities.all(productId, skuId, country).map(toAvailability);
  }

  /** One availability of a SKU, whatever its country. */
  getAvailability(productId: string, skuId: string, id: string): AvailabilityRecord | undefined {
    const row = this.#statements.availability.get(productId, skuId, id);
    return row ? toAvailability(row) : undefined;
  }
}
