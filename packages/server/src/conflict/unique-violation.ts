/** Recognizes a database unique-key violation, so an application can answer 409 instead of 500. */

// better-sqlite3 (extended result codes), PostgreSQL (SQLSTATE unique_violation), MySQL.
const UNIQUE_VIOLATION_CODES = new Set<unknown>([
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  '23505',
  'ER_DUP_ENTRY',
]);

/**
 * Whether `error` (or an error in its `cause` chain, as ORMs wrap driver errors) is a
 * unique-key or primary-key violation: better-sqlite3 `SQLITE_CONSTRAINT_UNIQUE` /
 * `SQLITE_CONSTRAINT_PRIMARYKEY`, PostgreSQL `23505`, MySQL `ER_DUP_ENTRY`. Other
 * constraint failures (NOT NULL, CHECK, foreign keys) are not conflicts and return false.
 *
 * @example
 * try { insert.run(customer) } catch (err) {
 *   if (isUniqueViolation(err)) throw conflictError({ resource: { objectType: 'Customer', field: 'domain', value }, cause: err });
 *   throw err;
 * }
 */
export function isUniqueViolation(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current = error;
  while (typeof current === 'object' && current !== null && !seen.has(current) && seen.size < 8) {
    seen.add(current);
    if (UNIQUE_VIOLATION_CODES.has((current as { code?: unknown }).code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
