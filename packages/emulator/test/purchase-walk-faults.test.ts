/**
 * The purchase walk with a 429 (in Partner Center's wire shape, from a fault rule with
 * retryAfter) and with maintenance mode's 503 on each step, through `@apifault/client`: each
 * walk completes by waiting the Retry-After asked and retrying once, and buys nothing twice.
 * The other faults are in purchase-walk-drops.test.ts; the walk and its checks in
 * helpers/faulted-walk.ts.
 */

import { describeFaultedWalks } from './helpers/faulted-walk.js';

describeFaultedWalks(
  'the purchase walk throttled or in maintenance on each step',
  ['429', '503 maintenance'],
  'waits Retry-After, completes, buys once',
);
