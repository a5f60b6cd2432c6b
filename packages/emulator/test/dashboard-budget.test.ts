/**
 * Heavy traffic with a dashboard streaming: the emulator lists the first exchanges of each
 * second (at most MAX_LISTED_PER_SECOND) and counts every one, listed or not.
 */

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { MAX_LISTED_PER_SECOND } from '@apifault/dashboard';
import { type RunningEmulator, SEED_CUSTOMERS, startEmulator } from '@apifault/emulator';
import { streamUnderLoad } from '../../dashboard/test/helpers/load.js';

let emulator: RunningEmulator;

before(async () => {
  emulator = await startEmulator({ port: 0, memory: true, log: false, rateLimit: false });
});
after(() => emulator.close());

it('every exchange is counted once, listed or not; past the budget they are counted only', async (t) => {
  const total = 3 * MAX_LISTED_PER_SECOND;
  const seen = await streamUnderLoad(
    emulator.url,
    `${emulator.url}/v1/customers/${SEED_CUSTOMERS.adatum}`,
    total,
    { authorization: `Bearer ${await emulator.token()}` },
  );
  assert.equal(seen.counted, total);
  assert.equal(seen.listed + seen.unlisted, total);
  t.diagnostic(`${seen.listed} listed, ${seen.unlisted} counted only`);
});
