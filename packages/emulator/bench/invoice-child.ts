/**
 * Bench child: the emulator on the SQLite file `argv[2]`, billing `argv[3]` line items per
 * subscription, no rate limit, no logs; prints `ready <url> <token of the other seeded
 * partner>` and closes on SIGTERM (so `--cpu-prof` writes its profile).
 */

import { OTHER_PARTNER, startEmulator } from '@apifault/emulator';

const [file, lines] = process.argv.slice(2);
const emu = await startEmulator({
  db: file as string,
  port: 0,
  log: false,
  rateLimit: false,
  billing: { linesPerSubscription: Number(lines) },
});
process.once('SIGTERM', () => {
  emu.close().then(() => process.exit(0));
});
process.stdout.write(`ready ${emu.url} ${await emu.token(OTHER_PARTNER)}\n`);
