/**
 * Child-process script for the crash test: starts the emulator on the given file, prints
 * `ready <url> <token>`, and serves until killed.
 */

import { SEED_PARTNER, startEmulator } from '@apifault/emulator';

const file = process.argv[2];
if (!file) throw new Error('usage: order-burst.ts <db file>');
const emu = await startEmulator({ db: file, port: 0, log: false, rateLimit: false });
process.stdout.write(`ready ${emu.url} ${await emu.token(SEED_PARTNER)}\n`);
