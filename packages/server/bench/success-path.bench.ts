/** The success path through each adapter against the bare framework (what the adapter costs when nothing fails). */

import { type BenchRow, comparePairs, type Pair, type RunOptions } from './load.js';
import type { Variant } from './servers.js';

// [adapter label, subject, peer, peer label]. The adapter puts MS-RequestId and
// MS-CorrelationId on every response, as the contract asks; the bare framework sends
// neither, so each framework also gets a same-bytes peer that sets both ids by hand in the
// route. The hand-written node:http peer already does.
const PEERS: [string, Variant, Variant, string][] = [
  ['node', 'node-apifault', 'node-handwritten', 'hand-written node:http (same ids)'],
  ['express', 'express-apifault', 'express-native', 'bare Express'],
  ['express', 'express-apifault', 'express-same-bytes', 'Express, ids set by hand'],
  ['fastify', 'fastify-apifault', 'fastify-native', 'bare Fastify'],
  ['fastify', 'fastify-apifault', 'fastify-same-bytes', 'Fastify, ids set by hand'],
  ['hono', 'hono-apifault', 'hono-native', 'bare Hono'],
  ['hono', 'hono-apifault', 'hono-same-bytes', 'Hono, ids set by hand'],
];

const PAIRS: Pair[] = [
  ...PEERS.map(([label, subject, peer, peerName]) => ({
    name: `${label} adapter, 200${peer.endsWith('same-bytes') ? ', same-bytes peer' : ''}`,
    subject,
    peer,
    peerName,
    path: '/ok',
    // Within noise of the framework without apifault.
    goal: 0.95,
  })),
  // A reference with no goal: what one middleware that does nothing costs bare Hono.
  {
    name: 'reference: Hono + one no-op middleware, 200',
    subject: 'hono-noop-middleware',
    peer: 'hono-native',
    peerName: 'bare Hono',
    path: '/ok',
  },
];

/** Runs the success-path comparisons. */
export function run(options: RunOptions = {}): Promise<BenchRow[]> {
  return comparePairs(PAIRS, options);
}
