/**
 * The emulator's idempotency store: `@apifault/server`'s `IdempotencyStore` on the emulator's
 * SQLite file, so keys survive a restart and are exact across processes sharing the file
 * (every claim is one IMMEDIATE transaction: SQLite's write lock serialises them).
 */

import type {
  ClaimResult,
  Fingerprint,
  IdempotencyRecord,
  IdempotencyStore,
} from '@apifault/server';
import type Database from 'better-sqlite3';

/** How often a claim sweeps expired rows out of the table, in ms. */
const PURGE_INTERVAL_MS = 60_000;

interface KeyRow {
  token: string | null;
  fingerprint: string;
  status: number | null;
  headers: string | null;
  body: Buffer | null;
  expires_at: number;
}

function heldBy(row: KeyRow): ClaimResult {
  const fingerprint = JSON.parse(row.fingerprint) as Fingerprint;
  if (row.token !== null) return { kind: 'in-progress', fingerprint };
  return {
    kind: 'completed',
    record: {
      fingerprint,
      response: {
        status: row.status ?? 200,
        headers: JSON.parse(row.headers ?? '{}') as Record<string, string>,
        body: row.body ?? new Uint8Array(0),
      },
    },
  };
}

/**
 * Keys and answers in the `idempotency_responses` table of `db`: a claim holds a token until
 * its lease ends, an answer is kept until its TTL ends (then swept).
 */
export class SqliteIdempotencyStore implements IdempotencyStore {
  readonly #claim: Database.Transaction<
    (scope: string, key: string, fingerprint: Fingerprint, leaseMs: number) => ClaimResult
  >;
  readonly #complete;
  readonly #release;

  /** @param db the emulator's database, migrated (schema step 5 made the table) */
  constructor(db: Database.Database) {
    const get = db.prepare<[string, string], KeyRow>(
      'SELECT token, fingerprint, status, headers, body, expires_at FROM idempotency_responses WHERE scope = ? AND key = ?',
    );
    const put = db.prepare(
      `INSERT OR REPLACE INTO idempotency_responses (scope, key, token, fingerprint, expires_at)
       VALUES (?, ?, ?, ?, ?)`,
    );
    const purge = db.prepare('DELETE FROM idempotency_responses WHERE expires_at <= ?');
    let purgedAt = 0;
    this.#claim = db.transaction((scope, key, fingerprint, leaseMs) => {
      const now = Date.now();
      // Expired answers and abandoned claims are dead weight: swept at most once a minute.
      if (now - purgedAt >= PURGE_INTERVAL_MS) {
        purge.run(now);
        purgedAt = now;
      }
      const row = get.get(scope, key);
      if (row !== undefined && row.expires_at > now) return heldBy(row);
      const token = globalThis.crypto.randomUUID();
      put.run(scope, key, token, JSON.stringify(fingerprint), now + leaseMs);
      return { kind: 'claimed', token };
    });
    this.#complete = db.prepare(
      `UPDATE idempotency_responses SET token = NULL, status = ?, headers = ?, body = ?, expires_at = ?
       WHERE scope = ? AND key = ? AND token = ?`,
    );
    this.#release = db.prepare(
      'DELETE FROM idempotency_responses WHERE scope = ? AND key = ? AND token = ?',
    );
  }

  claim(scope: string, key: string, fingerprint: Fingerprint, leaseMs: number): ClaimResult {
    return this.#claim.immediate(scope, key, fingerprint, leaseMs);
  }

  complete(scope: string, key: string, token: string, record: IdempotencyRecord, ttlMs: number) {
    const { response } = record;
    this.#complete.run(
      response.status,
      JSON.stringify(response.headers),
      Buffer.from(response.body),
      Date.now() + ttlMs,
      scope,
      key,
      token,
    );
  }

  release(scope: string, key: string, token: string): void {
    this.#release.run(scope, key, token);
  }
}
