/**
 * The purchase walk with a 429 (in Partner Center's wire shape, from a fault rule with
 * retryAfter) and with maintenance mode's 503 on each step, through `@apifault/client`: each
 * walk completes by waiting the Retry-After asked and retrying once, and buys nothing twice.
 * The other faults are in purchase-walk-drops.test.ts; the walk and its checks in
 * helpers/faulted-walk.ts.
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
    rateLimit: false,
    billing: WALK_BILLING,
  });
  token = await emu.token();
});
after(() => emu.close());

describe('the purchase walk throttled or in maintenance on each step', () => {
  for (const [step, kind] of faultCases(['429', '503 maintenance'])) {
    it(`${kind} on ${step.method} ${step.path}: waits Retry-After, completes, buys once`, () =>
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
