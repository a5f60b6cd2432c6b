/**
 * The emulator's data, one store per table group over one database handle. better-sqlite3
 * is synchronous, so each call is atomic with respect to the event loop; writes that span
 * tables run in one transaction.
 */

import type Database from 'better-sqlite3';
import { DEFAULT_LINES_PER_SUBSCRIPTION } from '../billing/generate.js';
import { CartStore } from './carts.js';
import { CatalogStore } from './catalog.js';
import { CustomerStore } from './customers.js';
import { InvoiceStore } from './invoices.js';
import { MetaStore } from './meta.js';
import { OrderStore } from './orders.js';
import { PartnerStore } from './partners.js';
import { SqliteIdempotencyStore } from './sqlite-idempotency-store.js';
import { SubscriptionStore } from './subscriptions.js';

/** Every store of the emulator, sharing one open database. */
export class EmulatorStore {
  /** The open better-sqlite3 database. */
  readonly db: Database.Database;
  /** Values kept with the data (the token secret). */
  readonly meta: MetaStore;
  /** Partner tenants. */
  readonly partners: PartnerStore;
  /** Customers. */
  readonly customers: CustomerStore;
  /** Subscriptions. */
  readonly subscriptions: SubscriptionStore;
  /** Orders and their line items. */
  readonly orders: OrderStore;
  /** The seeded catalog: products, SKUs, availabilities. */
  readonly catalog: CatalogStore;
  /** Customers' carts. */
  readonly carts: CartStore;

  /** Invoices and their line items, generated from the orders. */
  readonly invoices: InvoiceStore;
  /** `MS-RequestId` claims and stored answers, for the server's idempotency stage. */
  readonly idempotency: SqliteIdempotencyStore;

  /**
   * @param now the clock of creation and update times
   * @param billing how many line items each subscription puts on an invoice
   */
  constructor(
    db: Database.Database,
    now: () => Date = () => new Date(),
    billing: { linesPerSubscription?: number } = {},
  ) {
    this.db = db;
    this.meta = new MetaStore(db);
    this.partners = new PartnerStore(db, now);
    this.customers = new CustomerStore(db, { partners: this.partners, now });
    this.subscriptions = new SubscriptionStore(db, now);
    this.orders = new OrderStore(db, { subscriptions: this.subscriptions, now });
    this.invoices = new InvoiceStore(db, {
      partners: this.partners,
      now,
      linesPerSubscription: billing.linesPerSubscription ?? DEFAULT_LINES_PER_SUBSCRIPTION,
    });
    this.catalog = new CatalogStore(db);
    this.carts = new CartStore(db, { orders: this.orders, now });
    this.idempotency = new SqliteIdempotencyStore(db);
  }

  /** Closes the database. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
