/** The `customers` table: a partner's customers, read by id or by page, created once. */

import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { DuplicateDomainError } from './duplicate-domain-error.js';
import { newEtag } from './etag.js';
import type { PartnerStore } from './partners.js';
import type { BillingProfile, CustomerRecord, NewCustomer } from './records.js';

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

/** What {@link CustomerStore} needs besides its database. */
export interface CustomerStoreParts {
  readonly partners: PartnerStore;
  readonly now: () => Date;
}

/** Reads and creates customers. */
export class CustomerStore {
  readonly #db: Database.Database;
  readonly #parts: CustomerStoreParts;
  readonly #statements;

  constructor(db: Database.Database, parts: CustomerStoreParts) {
    this.#db = db;
    this.#parts = parts;
    this.#statements = {
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM customers'),
      get: db.prepare<[string], CustomerRow>('SELECT * FROM customers WHERE id = ?'),
      partnerOf: db
        .prepare<[string], { partner_tenant_id: string }>(
          'SELECT partner_tenant_id FROM customers WHERE id = ?',
        )
        .pluck(),
      byDomain: db.prepare<[string], CustomerRow>('SELECT * FROM customers WHERE domain = ?'),
      list: db.prepare<[string, string, number], CustomerRow>(
        'SELECT * FROM customers WHERE partner_tenant_id = ? AND id > ? ORDER BY id LIMIT ?',
      ),
      insert: db.prepare(
        `INSERT INTO customers (id, partner_tenant_id, tenant_id, domain, company_name,
          billing_profile, relationship, etag, created_at)
         VALUES (@id, @partner_tenant_id, @tenant_id, @domain, @company_name,
          @billing_profile, @relationship, @etag, @created_at)`,
      ),
    };
  }

  /** How many customers exist, across partners. */
  count(): number {
    return this.#statements.count.get()?.n ?? 0;
  }

  /** One customer by id, whatever its partner. */
  get(id: string): CustomerRecord | undefined {
    const row = this.#statements.get.get(id);
    return row ? toCustomer(row) : undefined;
  }

  /** The partner tenant that owns a customer, without reading the rest of it. */
  partnerOf(id: string): string | undefined {
    return this.#statements.partnerOf.get(id) as string | undefined;
  }

  /** One page of a partner's customers, by id, strictly after `afterId`. */
  list(partnerTenantId: string, afterId: string, limit: number): CustomerRecord[] {
    return this.#statements.list.all(partnerTenantId, afterId, limit).map(toCustomer);
  }

  /**
   * Creates a customer; throws {@link DuplicateDomainError} when the domain is taken. (A
   * retried request is answered before it gets here: the server's idempotency stage.)
   */
  create(input: NewCustomer, createdAt = this.#parts.now()): CustomerRecord {
    const { partners } = this.#parts;
    return this.#db
      .transaction(() => {
        const existing = this.#statements.byDomain.get(input.domain);
        if (existing) throw new DuplicateDomainError(toCustomer(existing));
        partners.ensure(input.partnerTenantId);
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
        this.#statements.insert.run(row);
        return toCustomer(row);
      })
      .immediate();
  }
}
