/** Bench child: the emulator in memory, no rate limit, no logs; prints `ready <url> <token>`. */

import { startEmulator } from '@apifault/emulator';

const emu = await startEmulator({ memory: true, port: 0, log: false, rateLimit: false });
process.stdout.write(`ready ${emu.url} ${await emu.token()}\n`);
