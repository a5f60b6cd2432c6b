/** The error of a customer creation whose domain another customer holds. */

import type { CustomerRecord } from './records.js';

/** Thrown by `CustomerStore.create` when the domain is taken. */
export class DuplicateDomainError extends Error {
  override name = 'DuplicateDomainError' as const;
  /** The customer that already holds the domain. */
  readonly existing: CustomerRecord;

  constructor(existing: CustomerRecord) {
    super(`The domain ${existing.domain} is already taken.`);
    this.existing = existing;
  }
}
