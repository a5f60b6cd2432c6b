/**
 * The purchase walk with a dropped connection on each step, an answer lost after the
 * emulator gave it on each step that changes something (the retry, with the same
 * MS-RequestId, is replayed by the emulator's idempotency stage), and the commerce upstream's
 * 502 and 504 on checkout and the subscription PATCH: each walk completes through the
 * client's retries and buys nothing twice. The walk and its checks: helpers/faulted-walk.ts.
 */

import { describeFaultedWalks } from './helpers/faulted-walk.js';

describeFaultedWalks(
  'the purchase walk with a connection or the commerce upstream failing on each step',
  ['drop', 'answer lost', 'commerce 502', 'commerce 504'],
  'retried, completes, buys once',
  { commerceTimeoutMs: 50 },
);
