/** Starts an emulator on a real SQLite file in a fresh temp dir, on 127.0.0.1:0, for one test. */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningEmulator, type StartOptions, startEmulator } from '@apifault/emulator';

/** A running emulator and the temp dir its database lives in. */
export interface TestEmulator extends RunningEmulator {
  /** The temp dir (removed by close()). */
  readonly dir: string;
  /** The database file. */
  readonly dbFile: string;
}

/** Makes a temp dir that the caller removes. */
export function tempDir(prefix = 'apifault-emulator-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts an emulator with a file database in a new temp dir; close() removes the dir. */
export async function startTestEmulator(options: StartOptions = {}): Promise<TestEmulator> {
  const dir = tempDir();
  const dbFile = join(dir, 'emulator.db');
  const running = await startEmulator({
    db: dbFile,
    port: 0,
    host: '127.0.0.1',
    log: false,
    ...options,
  });
  return {
    ...running,
    dir,
    dbFile,
    close: async () => {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
