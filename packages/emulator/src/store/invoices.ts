/**
 * The `invoices` and `invoice_line_items` tables: a partner's invoices, generated from its
 * orders when first read and again whenever those orders change (see `src/billing/`).
 */

import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  type BilledSubscription,
  generateInvoices,
  type InvoiceLineRow,
} from '../billing/generate.js';
import type { PartnerStore } from './partners.js';

/** A stored invoice. */
export interface InvoiceRecord {
  id: string;
  partnerTenantId: string;
  /** Changes whenever the invoice is generated again: continuation tokens carry it. */
  version: string;
  invoiceDate: string;
  periodStart: string;
  periodEnd: string;
  totalCharges: number;
  currencyCode: string;
  lineCount: number;
}

interface InvoiceRow {
  id: string;
  partner_tenant_id: string;
  version: string;
  invoice_date: string;
  period_start: string;
  period_end: string;
  total_charges: number;
  currency_code: string;
  line_count: number;
}

function toInvoice(row: InvoiceRow): InvoiceRecord {
  return {
    id: row.id,
    partnerTenantId: row.partner_tenant_id,
    version: row.version,
    invoiceDate: row.invoice_date,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    totalCharges: row.total_charges,
    currencyCode: row.currency_code,
    lineCount: row.line_count,
  };
}

/** A line item as read: the stored columns, named as the JSON properties. */
export type StoredLineItem = InvoiceLineRow;

/** The line item columns, in table order. */
export const LINE_COLUMNS = [
  'partnerId',
  'customerId',
  'customerName',
  'customerDomainName',
  'customerCountry',
  'invoiceNumber',
  'mpnId',
  'resellerMpnId',
  'orderId',
  'orderDate',
  'productId',
  'skuId',
  'availabilityId',
  'productName',
  'skuName',
  'chargeType',
  'unitPrice',
  'effectiveUnitPrice',
  'unitType',
  'quantity',
  'subtotal',
  'taxTotal',
  'totalForCustomer',
  'currency',
  'publisherName',
  'publisherId',
  'subscriptionDescription',
  'subscriptionId',
  'subscriptionStartDate',
  'subscriptionEndDate',
  'chargeStartDate',
  'chargeEndDate',
  'termAndBillingCycle',
  'alternateId',
  'referenceId',
  'priceAdjustmentDescription',
  'discountDetails',
  'pricingCurrency',
  'pcToBCExchangeRate',
  'pcToBCExchangeRateDate',
  'billableQuantity',
  'meterDescription',
  'billingFrequency',
  'reservationOrderId',
  'invoiceLineItemType',
  'billingProvider',
  'promotionId',
] as const satisfies readonly (keyof InvoiceLineRow)[];

/**
 * The statement that reads a page of line items after a position, in order. Positions run
 * 1…lineCount without gaps, so the last of a page is `after + rows.length`.
 */
export const LINE_PAGE_SQL = `SELECT ${LINE_COLUMNS.join(', ')} FROM invoice_line_items
  WHERE invoice_id = ? AND seq > ? ORDER BY seq LIMIT ?`;

/** What {@link InvoiceStore} needs besides its database. */
export interface InvoiceStoreParts {
  readonly partners: PartnerStore;
  readonly now: () => Date;
  /** Line items each subscription puts on an invoice. */
  readonly linesPerSubscription: number;
}

/** Generates, reads and pages invoices. */
export class InvoiceStore {
  readonly #db: Database.Database;
  readonly #parts: InvoiceStoreParts;
  readonly #statements;

  /** @throws RangeError when `linesPerSubscription` is not an integer of 1–100000. */
  constructor(db: Database.Database, parts: InvoiceStoreParts) {
    const lines = parts.linesPerSubscription;
    if (!Number.isInteger(lines) || lines < 1 || lines > 100_000) {
      throw new RangeError(
        `billing.linesPerSubscription must be an integer of 1–100000, got ${lines}`,
      );
    }
    this.#db = db;
    this.#parts = parts;
    this.#statements = {
      source: db.prepare<[string], BilledSubscription>(
        `SELECT s.id, s.order_id AS orderId, o.created_at AS orderDate, s.offer_id AS offerId,
           s.friendly_name AS friendlyName, s.quantity, s.billing_cycle AS billingCycle,
           s.created_at AS createdAt, c.id AS customerId, c.company_name AS customerName,
           c.domain AS customerDomainName,
           coalesce(json_extract(c.billing_profile, '$.defaultAddress.country'), 'US') AS customerCountry
         FROM subscriptions s JOIN customers c ON c.id = s.customer_id
           JOIN orders o ON o.id = s.order_id
         WHERE c.partner_tenant_id = ? ORDER BY s.created_at, s.id`,
      ),
      summary: db.prepare<[string], { n: number; q: number | null; last: string | null }>(
        `SELECT count(*) AS n, sum(s.quantity) AS q, max(s.updated_at) AS last
         FROM subscriptions s JOIN customers c ON c.id = s.customer_id
         WHERE c.partner_tenant_id = ?`,
      ),
      fingerprint: db
        .prepare<[string], string>(
          'SELECT fingerprint FROM billing_state WHERE partner_tenant_id = ?',
        )
        .pluck(),
      setFingerprint: db.prepare(
        `INSERT INTO billing_state (partner_tenant_id, fingerprint) VALUES (?, ?)
         ON CONFLICT (partner_tenant_id) DO UPDATE SET fingerprint = excluded.fingerprint`,
      ),
      deleteInvoices: db.prepare('DELETE FROM invoices WHERE partner_tenant_id = ?'),
      insertInvoice: db.prepare(
        `INSERT INTO invoices (id, partner_tenant_id, version, invoice_date, period_start,
           period_end, total_charges, currency_code, line_count)
         VALUES (@id, @partner_tenant_id, @version, @invoice_date, @period_start, @period_end,
           @total_charges, @currency_code, @line_count)`,
      ),
      insertLine: db.prepare(
        `INSERT INTO invoice_line_items (invoice_id, seq, ${LINE_COLUMNS.join(', ')})
         VALUES (@invoice_id, @seq, ${LINE_COLUMNS.map((c) => `@${c}`).join(', ')})`,
      ),
      list: db.prepare<[string, number, number], InvoiceRow>(
        `SELECT * FROM invoices WHERE partner_tenant_id = ?
         ORDER BY invoice_date DESC, id LIMIT ? OFFSET ?`,
      ),
      count: db
        .prepare<[string], number>('SELECT count(*) FROM invoices WHERE partner_tenant_id = ?')
        .pluck(),
      get: db.prepare<[string, string], InvoiceRow>(
        'SELECT * FROM invoices WHERE partner_tenant_id = ? AND id = ?',
      ),
      page: db.prepare<[string, number, number], StoredLineItem>(LINE_PAGE_SQL),
    };
  }

  /**
   * Brings the partner's invoices up to date with its orders and the clock's month: when the
   * subscriptions (count, seats, last change) or the month differ from what the invoices were
   * generated from, they are generated again in one transaction, with a new version.
   */
  refresh(partnerTenantId: string): void {
    const { now, linesPerSubscription } = this.#parts;
    const summary = this.#statements.summary.get(partnerTenantId);
    const month = now().toISOString().slice(0, 7);
    const fingerprint = `${summary?.n ?? 0}:${summary?.q ?? 0}:${summary?.last ?? ''}:${month}:${linesPerSubscription}`;
    if (this.#statements.fingerprint.get(partnerTenantId) === fingerprint) return;
    const version = createHash('sha256')
      .update(`${partnerTenantId}\n${fingerprint}`)
      .digest('base64url')
      .slice(0, 12);
    const statements = this.#statements;
    this.#db
      .transaction(() => {
        if (statements.fingerprint.get(partnerTenantId) === fingerprint) return;
        const invoices = generateInvoices({
          partnerTenantId,
          subscriptions: statements.source.all(partnerTenantId),
          now: now(),
          linesPerSubscription,
        });
        this.#parts.partners.ensure(partnerTenantId);
        statements.deleteInvoices.run(partnerTenantId);
        for (const invoice of invoices) {
          statements.insertInvoice.run({
            id: invoice.id,
            partner_tenant_id: partnerTenantId,
            version,
            invoice_date: invoice.invoiceDate,
            period_start: invoice.periodStart,
            period_end: invoice.periodEnd,
            total_charges: invoice.totalCharges,
            currency_code: invoice.currencyCode,
            line_count: invoice.lines.length,
          } satisfies InvoiceRow);
          invoice.lines.forEach((line, index) => {
            statements.insertLine.run({ invoice_id: invoice.id, seq: index + 1, ...line });
          });
        }
        statements.setFingerprint.run(partnerTenantId, fingerprint);
      })
      .immediate();
  }

  /** How many invoices the partner has (after {@link refresh}). */
  count(partnerTenantId: string): number {
    return this.#statements.count.get(partnerTenantId) ?? 0;
  }

  /** A page of the partner's invoices, newest first. */
  list(partnerTenantId: string, size: number, offset: number): InvoiceRecord[] {
    return this.#statements.list.all(partnerTenantId, size, offset).map(toInvoice);
  }

  /** One invoice of the partner. */
  get(partnerTenantId: string, id: string): InvoiceRecord | undefined {
    const row = this.#statements.get.get(partnerTenantId, id);
    return row ? toInvoice(row) : undefined;
  }

  /** Up to `limit` line items of an invoice after position `after` (0: from the start). */
  lineItems(invoiceId: string, after: number, limit: number): StoredLineItem[] {
    return this.#statements.page.all(invoiceId, after, limit);
  }
}
