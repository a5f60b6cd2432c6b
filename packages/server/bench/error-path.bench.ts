/** The error path (a 404 and a thrown 500) through each adapter against the framework's own idiom and hand-written node:http. */

import { type BenchRow, comparePairs, type Pair, type RunOptions } from './load.js';

const PAIRS: Pair[] = [
  ['node', 'node-apifault', 'node-handwritten', 'hand-written res.end(JSON.stringify())', 0.9],
  ['express', 'express-apifault', 'express-native', 'Express + http-errors + own handler', 0.95],
  ['fastify', 'fastify-apifault', 'fastify-native', 'Fastify native 404/error', 0.95],
  ['hono', 'hono-apifault', 'hono-native', 'Hono HTTPException + onError', 0.95],
].flatMap(([label, subject, peer, peerName, goal]) =>
  (
    [
      ['404', '/nowhere'],
      ['thrown 500', '/throw'],
    ] as const
  ).map(([what, path]) => ({
    name: `${label} adapter, ${what}`,
    subject: subject as Pair['subject'],
    peer: peer as Pair['peer'],
    peerName: peerName as string,
    path,
    goal: goal as number,
  })),
);

/** Runs the error-path comparisons. */
export function run(options: RunOptions = {}): Promise<BenchRow[]> {
  return comparePairs(PAIRS, options);
}
