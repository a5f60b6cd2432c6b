/** Opens the emulator's SQLite database with the pragmas its durability promise rests on. */

import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

/** Where the data lives. */
export type DatabaseLocation = { file: string } | { memory: true };

/** The default database file, relative to the current working directory. */
export const DEFAULT_DB_FILE = '.apifault/emulator.db';

/**
 * The nearest existing {@link DEFAULT_DB_FILE} in `from` or a directory above it, the way git
 * finds `.git`: `apifault start` and `apifault token` run anywhere in a project then share one
 * database. `undefined` when there is none.
 *
 * @default from process.cwd()
 */
export function findDatabaseFile(from: string = process.cwd()): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const file = join(dir, DEFAULT_DB_FILE);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Opens (creating if missing) and migrates the database.
 *
 * WAL with `synchronous = NORMAL`: a commit is appended to the WAL with write(2) before
 * better-sqlite3 returns, so it survives the process being killed (kill -9) at any point;
 * only an OS crash or power loss can drop the last commits, which an emulator can afford.
 */
export function openDatabase(location: DatabaseLocation): Database.Database {
  let db: Database.Database;
  if ('file' in location) {
    const file = resolve(location.file);
    mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
  } else {
    db = new Database(':memory:');
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Another process (a second emulator on the same file) may hold the write lock briefly.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
