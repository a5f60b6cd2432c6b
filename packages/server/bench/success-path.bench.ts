/** The success path through each adapter against the bare framework (what the adapter costs when nothing fails). */

import { type BenchRow, comparePairs, type Pair, type RunOptions } from './load.js';

const PAIRS: Pair[] = [
  ['node', 'node-apifault', 'node-handwritten', 'hand-written node:http', 0.9],
  ['express', 'express-apifault', 'express-native', 'bare Express', 0.95],
  ['fastify', 'fastify-apifault', 'fastify-native', 'bare Fastify', 0.95],
  ['hono', 'hono-apifault', 'hono-native', 'bare Hono', 0.95],
].map(([label, subject, peer, peerName, goal]) => ({
  name: `${label} adapter, 200`,
  subject: subject as Pair['subject'],
  peer: peer as Pair['peer'],
  peerName: peerName as string,
  path: '/ok',
  goal: goal as number,
}));

/** Runs the success-path comparisons. */
export function run(options: RunOptions = {}): Promise<BenchRow[]> {
  return comparePairs(PAIRS, options);
}
