/** The error path (a 404 and a thrown 500) through each adapter against the framework's own idiom and hand-written node:http. */

import { type BenchRow, comparePairs, type Pair, type RunOptions } from './load.js';
import type { Variant } from './servers.js';

// [adapter label, subject, peer, peer label, goal]. The peers come first: each
// framework's own idiomatic error response. Fastify's and Hono's send fewer headers and a
// different body than the contract asks for (no ids, nosniff or Cache-Control), so each
// also gets a same-bytes peer: the framework answering the contract's exact status, headers
// and body by hand, which isolates what the adapter itself costs. Both rows are held to the
// goal and printed; Express's own idiom is already beaten, and node:http's peer is hand-written
// with the same bytes.
const PEERS: [string, Variant, Variant, string, number][] = [
  ['node', 'node-apifault', 'node-handwritten', 'hand-written res.end(JSON.stringify())', 0.9],
  ['express', 'express-apifault', 'express-native', 'Express + http-errors + own handler', 0.95],
  ['fastify', 'fastify-apifault', 'fastify-native', 'Fastify native 404/error', 0.95],
  [
    'fastify',
    'fastify-apifault',
    'fastify-same-bytes',
    'Fastify, same status/headers/body by hand',
    0.95,
  ],
  ['hono', 'hono-apifault', 'hono-native', 'Hono HTTPException + onError', 0.95],
  ['hono', 'hono-apifault', 'hono-same-bytes', 'Hono, same status/headers/body by hand', 0.95],
];

const PAIRS: Pair[] = [
  ...(
    [
      ['404', '/nowhere'],
      ['thrown 500', '/throw'],
    ] as const
  ).flatMap(([what, path]) =>
    PEERS.map(([label, subject, peer, peerName, goal]) => ({
      name: `${label} adapter, ${what}${peer.endsWith('same-bytes') ? ', same-bytes peer' : ''}`,
      subject,
      peer,
      peerName,
      path,
      goal,
    })),
  ),
  // A reference with no goal: Hono runs a route with no middleware on a fast path, so its
  // native thrown 500 skips the machinery any `app.use` brings, apifault's or anyone's.
  {
    name: 'reference: Hono + one no-op middleware, thrown 500',
    subject: 'hono-noop-middleware',
    peer: 'hono-native',
    peerName: 'Hono HTTPException + onError',
    path: '/throw',
  },
];

/** Runs the error-path comparisons. */
export function run(options: RunOptions = {}): Promise<BenchRow[]> {
  return comparePairs(PAIRS, options);
}
