/** The `partners` table: the partner tenants that own customers and send requests. */

import type Database from 'better-sqlite3';

/** Reads and registers partner tenants. */
export class PartnerStore {
  readonly #now: () => Date;
  readonly #get;
  readonly #put;

  constructor(db: Database.Database, now: () => Date) {
    this.#now = now;
    this.#get = db.prepare<[string], { tenant_id: string }>(
      'SELECT tenant_id FROM partners WHERE tenant_id = ?',
    );
    this.#put = db.prepare(
      'INSERT OR IGNORE INTO partners (tenant_id, name, created_at) VALUES (?, ?, ?)',
    );
  }

  /** Whether the partner tenant is known. */
  has(tenantId: string): boolean {
    return this.#get.get(tenantId) !== undefined;
  }

  /** Registers a partner tenant if new. */
  ensure(tenantId: string, name = tenantId): void {
    this.#put.run(tenantId, name, this.#now().toISOString());
  }
}
