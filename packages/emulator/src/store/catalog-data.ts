/**
 * The seeded catalog: a handful of license-based (new commerce) products with their SKUs and
 * availabilities, written into the database by schema migration 3. Product ids follow the
 * public catalog's; SKU quantity ranges, availability ids and terms are the emulator's own.
 * Never edit a shipped row: a database migrated earlier keeps the rows it got.
 */

/** A term an availability offers: its length and how it is billed. */
export interface CatalogTerm {
  /** ISO 8601 duration: `P1M`, `P1Y`, `P3Y`. */
  duration: 'P1M' | 'P1Y' | 'P3Y';
  /** How the term is billed, as the catalog spells it. */
  billingCycle: 'Monthly' | 'Annual' | 'Triennial';
  /** One line for people. */
  description: string;
}

/** A seeded product with its SKUs, each with its availabilities. */
export interface SeedProduct {
  id: string;
  title: string;
  description: string;
  skus: {
    id: string;
    title: string;
    description: string;
    minimumQuantity: number;
    maximumQuantity: number;
    availabilities: { id: string; isPurchasable: boolean; terms: CatalogTerm[] }[];
  }[];
}

const MONTHLY: CatalogTerm = {
  duration: 'P1M',
  billingCycle: 'Monthly',
  description: 'One-month commitment, billed monthly',
};
const YEAR_MONTHLY: CatalogTerm = {
  duration: 'P1Y',
  billingCycle: 'Monthly',
  description: 'One-year commitment, billed monthly',
};
const YEAR_ANNUAL: CatalogTerm = {
  duration: 'P1Y',
  billingCycle: 'Annual',
  description: 'One-year commitment, billed annually',
};
const THREE_YEARS: CatalogTerm = {
  duration: 'P3Y',
  billingCycle: 'Triennial',
  description: 'Three-year commitment, billed once for three years',
};
const THREE_YEARS_ANNUAL: CatalogTerm = {
  duration: 'P3Y',
  billingCycle: 'Annual',
  description: 'Three-year commitment, billed annually',
};

const BUSINESS_TERMS = [MONTHLY, YEAR_MONTHLY, YEAR_ANNUAL];
const ENTERPRISE_TERMS = [MONTHLY, YEAR_MONTHLY, YEAR_ANNUAL, THREE_YEARS, THREE_YEARS_ANNUAL];

/** The country every seeded availability is offered in, and its currency. */
export const CATALOG_MARKET = { country: 'US', currency: 'USD', segment: 'commercial' } as const;

/** The catalog view the seeded products belong to (`targetView=OnlineServices`). */
export const CATALOG_VIEW = 'OnlineServices';

/** Every seeded product. */
export const SEED_CATALOG: readonly SeedProduct[] = [
  {
    id: 'CFQ7TTC0LH18',
    title: 'Microsoft 365 Business Basic',
    description: 'Web and mobile Office apps, Teams, email and 1 TB of cloud storage per user.',
    skus: [
      {
        id: '0001',
        title: 'Microsoft 365 Business Basic',
        description: 'Microsoft 365 Business Basic, per user.',
        minimumQuantity: 1,
        maximumQuantity: 300,
        availabilities: [{ id: 'CFQ7TTC0K59J', isPurchasable: true, terms: BUSINESS_TERMS }],
      },
    ],
  },
  {
    id: 'CFQ7TTC0LDPB',
    title: 'Microsoft 365 Business Standard',
    description: 'Desktop Office apps with Business Basic services, per user.',
    skus: [
      {
        id: '0001',
        title: 'Microsoft 365 Business Standard',
        description: 'Microsoft 365 Business Standard, per user.',
        minimumQuantity: 1,
        maximumQuantity: 300,
        availabilities: [{ id: 'CFQ7TTC0K5DM', isPurchasable: true, terms: BUSINESS_TERMS }],
      },
    ],
  },
  {
    id: 'CFQ7TTC0LCHC',
    title: 'Microsoft 365 Business Premium',
    description: 'Business Standard with advanced security and device management, per user.',
    skus: [
      {
        id: '0002',
        title: 'Microsoft 365 Business Premium',
        description: 'Microsoft 365 Business Premium, per user.',
        minimumQuantity: 1,
        maximumQuantity: 300,
        availabilities: [{ id: 'CFQ7TTC0K5F3', isPurchasable: true, terms: ENTERPRISE_TERMS }],
      },
    ],
  },
  {
    id: 'CFQ7TTC0LFLZ',
    title: 'Microsoft 365 E3',
    description: 'Office apps, enterprise security and compliance, per user.',
    skus: [
      {
        id: '0001',
        title: 'Microsoft 365 E3',
        description: 'Microsoft 365 E3, per user.',
        minimumQuantity: 1,
        maximumQuantity: 10000,
        availabilities: [{ id: 'CFQ7TTC0K5H6', isPurchasable: true, terms: ENTERPRISE_TERMS }],
      },
      {
        id: '0002',
        title: 'Microsoft 365 E3 (retired SKU)',
        description: 'A SKU no longer sold: its availability is not purchasable.',
        minimumQuantity: 1,
        maximumQuantity: 10000,
        availabilities: [{ id: 'CFQ7TTC0K5J8', isPurchasable: false, terms: BUSINESS_TERMS }],
      },
    ],
  },
  {
    id: 'CFQ7TTC0QW5P',
    title: 'Microsoft Teams Essentials',
    description: 'Meetings, chat and file sharing for small businesses, per user.',
    skus: [
      {
        id: '0001',
        title: 'Microsoft Teams Essentials',
        description: 'Microsoft Teams Essentials, per user.',
        minimumQuantity: 1,
        maximumQuantity: 300,
        availabilities: [{ id: 'CFQ7TTC0K5KB', isPurchasable: true, terms: BUSINESS_TERMS }],
      },
    ],
  },
];

function sql(value: string | number): string {
  return typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`;
}

/** The INSERT statements that put {@link SEED_CATALOG} into the catalog tables. */
export function catalogSeedSql(): string {
  const rows: string[] = [];
  for (const product of SEED_CATALOG) {
    rows.push(
      `INSERT INTO catalog_products (id, title, description, target_view) VALUES (${[
        product.id,
        product.title,
        product.description,
        CATALOG_VIEW,
      ]
        .map(sql)
        .join(', ')});`,
    );
    for (const sku of product.skus) {
      rows.push(
        `INSERT INTO catalog_skus (product_id, id, title, description, minimum_quantity, maximum_quantity) VALUES (${[
          product.id,
          sku.id,
          sku.title,
          sku.description,
          sku.minimumQuantity,
          sku.maximumQuantity,
        ]
          .map(sql)
          .join(', ')});`,
      );
      for (const availability of sku.availabilities) {
        rows.push(
          `INSERT INTO catalog_availabilities (product_id, sku_id, id, country, currency, segment, is_purchasable, terms) VALUES (${[
            product.id,
            sku.id,
            availability.id,
            CATALOG_MARKET.country,
            CATALOG_MARKET.currency,
            CATALOG_MARKET.segment,
            availability.isPurchasable ? 1 : 0,
            JSON.stringify(availability.terms),
          ]
            .map(sql)
            .join(', ')});`,
        );
      }
    }
  }
  return rows.join('\n');
}
