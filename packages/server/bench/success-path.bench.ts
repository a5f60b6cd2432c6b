/** The success path through each adapter against the bare framework (what the adapter costs when nothing fails). */

import { type BenchRow, comparePairs, type Pair, type RunOptions } from './load.js';
import type { Variant } from './servers.js';

// [row name, subject, peer, peer label, goal]. The adapter puts MS-RequestId and
// MS-CorrelationId on every response, as the contract asks; the bare frameworks send
// neither, so Express and Fastify are held to the same framework setting both ids by hand in
// the route (the hand-written node:http peer already does). Hono is held to Hono with one
// no-op middleware, the fair peer of a middleware (see error-path.bench.ts). The rows against
// the bare framework stay as references, without a goal.
const ROWS: [string, Variant, Variant, string, number | undefined][] = [
  [
    'node adapter, 200',
    'node-apifault',
    'node-handwritten',
    'hand-written node:http (same ids)',
    0.95,
  ],
  [
    'express adapter, 200',
    'express-apifault',
    'express-same-bytes',
    'Express, ids set by hand',
    0.95,
  ],
  [
    'fastify adapter, 200',
    'fastify-apifault',
    'fastify-same-bytes',
    'Fastify, ids set by hand',
    0.95,
  ],
  [
    'hono adapter, 200',
    'hono-apifault',
    'hono-noop-middleware',
    'Hono + one no-op middleware',
    0.95,
  ],
  [
    'reference: express adapter, 200',
    'express-apifault',
    'express-native',
    'bare Express',
    undefined,
  ],
  [
    'reference: fastify adapter, 200',
    'fastify-apifault',
    'fastify-native',
    'bare Fastify',
    undefined,
  ],
  ['reference: hono adapter, 200', 'hono-apifault', 'hono-native', 'bare Hono', undefined],
  [
    'reference: Hono + one no-op middleware, 200',
    'hono-noop-middleware',
    'hono-native',
    'bare Hono',
    undefined,
  ],
];

const PAIRS: Pair[] = ROWS.map(([name, subject, peer, peerName, goal]) => ({
  name,
  subject,
  peer,
  peerName,
  path: '/ok',
  ...(goal === undefined ? {} : { goal }),
}));

/** Runs the success-path comparisons. */
export function run(options: RunOptions = {}): Promise<BenchRow[]> {
  return comparePairs(PAIRS, options);
}
