/** The `meta` table: values the emulator keeps with its data (the token secret). */

import type Database from 'better-sqlite3';

/** Reads and writes the `meta` table. */
export class MetaStore {
  readonly #get;
  readonly #put;

  constructor(db: Database.Database) {
    this.#get = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    this.#put = db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
  }

  /** The value kept under `key`, if any. */
  get(key: string): string | undefined {
    return this.#get.get(key)?.value;
  }

  /** Stores `value` under `key` unless one is there already; returns the stored value. */
  ensure(key: string, value: string): string {
    this.#put.run(key, value);
    return this.get(key) as string;
  }
}
