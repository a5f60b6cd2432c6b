/**
 * The `idempotency_keys` table: which resource a partner's `MS-RequestId` created, so a
 * retried creation answers with it instead of creating it again.
 */

import type Database from 'better-sqlite3';
import type { PartnerStore } from './partners.js';
import { type KeyOperation, RequestIdReusedError } from './request-id-reused-error.js';

/** A caller's `MS-RequestId`, scoped to its partner: the idempotency key of a creation. */
export interface IdempotencyKey {
  /** The partner tenant that sent the request. */
  partnerTenantId: string;
  /** The `MS-RequestId` it sent. */
  requestId: string;
}

/** The operation of a customer creation, as the table records it. */
export const CREATE_CUSTOMER = 'customer';

/** The operation of an order creation for a customer, as the table records it. */
export function createOrderOperation(customerId: string): string {
  return `order:${customerId}`;
}

/** What a recorded operation was, for the caller who reuses its key. */
function describeOperation(operation: string): KeyOperation {
  if (operation.startsWith('order:')) {
    return {
      route: 'createOrder',
      objectType: 'Order',
      path: `/v1/customers/${operation.slice('order:'.length)}/orders`,
    };
  }
  return { route: 'createCustomer', objectType: 'Customer', path: '/v1/customers' };
}

/** Remembers and replays creations by idempotency key; call inside the creation's transaction. */
export class IdempotencyKeys {
  readonly #partners: PartnerStore;
  readonly #get;
  readonly #put;

  constructor(db: Database.Database, partners: PartnerStore) {
    this.#partners = partners;
    this.#get = db.prepare<[string, string], { operation: string; resource_id: string }>(
      'SELECT operation, resource_id FROM idempotency_keys WHERE partner_tenant_id = ? AND request_id = ?',
    );
    this.#put = db.prepare(
      `INSERT INTO idempotency_keys (partner_tenant_id, request_id, operation, resource_id, created_at)
       VALUES (?, ?, ?, ?, ?)`,
    );
  }

  /**
   * The id of what `key` created for `operation`, or undefined for a key not seen yet.
   * @throws RequestIdReusedError when `key` was recorded for another operation.
   */
  replayed(key: IdempotencyKey | undefined, operation: string): string | undefined {
    if (!key) return undefined;
    const row = this.#get.get(key.partnerTenantId, key.requestId);
    if (row === undefined) return undefined;
    if (row.operation !== operation) {
      throw new RequestIdReusedError(
        key.requestId,
        describeOperation(row.operation),
        row.resource_id,
      );
    }
    return row.resource_id;
  }

  /** Records that `key` created `id` by `operation` (the first use of a key wins). */
  remember(key: IdempotencyKey | undefined, operation: string, id: string, at: Date): void {
    if (!key || this.#get.get(key.partnerTenantId, key.requestId)) return;
    this.#partners.ensure(key.partnerTenantId);
    this.#put.run(key.partnerTenantId, key.requestId, operation, id, at.toISOString());
  }
}
