/**
 * The purchase walk with a dropped connection on each step, an answer lost after the
 * emulator gave it on each step that changes something (the retry, with the same
 * MS-RequestId, is replayed by the emulator's idempotency stage), and the commerce upstream's
 * 502 and 504 on checkout and the subscription PATCH: each walk completes through the
 * client's retries and buys nothing twice. The walk and its checks: helpers/faulted-walk.ts.
 */

import { after, before, describe, it } from 'node:test';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';
import { checkFaultedWalk, faultCases, WALK_BILLING } from './helpers/faulted-walk.js';

let emu: TestEmulator;
let token: string;
let clock = Date.now();

before(async () => {
  emu = await startTestEmulator({
    now: () => new Date(clock),
    provisioningDelayMs: 5000,
    commerceTimeoutMs: 50,
    rateLimit: false,
    billing: WALK_BILLING,
  });
  token = await emu.token();
});
after(() => emu.close());

describe('the purchase walk with a connection or the commerce upstream failing on each step', () => {
  for (const [step, kind] of faultCases(['drop', 'answer lost', 'commerce 502', 'commerce 504'])) {
    it(`${kind} on ${step.method} ${step.path}: retried, completes, buys once`, () =>
      checkFaultedWalk(
        emu,
        token,
        (ms) => {
          clock += ms;
        },
        step,
        kind,
      ));
  }
});
