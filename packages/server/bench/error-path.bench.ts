/** The error path (a 404 and a thrown 500) through each adapter against the framework's own idiom and hand-written node:http. */

import { type BenchRow, comparePairs, type Pair, type RunOptions } from './load.js';
import type { Variant } from './servers.js';

// [row name, subject, peer, peer label, path, goal]. Each adapter is held to its framework's
// own error path: node:http to a hand-written `res.end(JSON.stringify(…))` with the same
// bytes, Express and Fastify to their native error handling, Hono's 404 to `HTTPException`.
// Hono's thrown 500 is held to Hono with one no-op middleware: any `app.use` leaves Hono's
// single-handler fast path, so that is the fair peer of an adapter that is a middleware; the
// native `onError` row stays as a reference, without a goal, so the cost stays visible.
const ROWS: [string, Variant, Variant, string, string, number | undefined][] = [
  [
    'node adapter, 404',
    'node-apifault',
    'node-handwritten',
    'hand-written res.end(JSON.stringify())',
    '/nowhere',
    0.9,
  ],
  [
    'node adapter, thrown 500',
    'node-apifault',
    'node-handwritten',
    'hand-written res.end(JSON.stringify())',
    '/throw',
    0.9,
  ],
  [
    'express adapter, 404',
    'express-apifault',
    'express-native',
    'Express + http-errors + own handler',
    '/nowhere',
    0.95,
  ],
  [
    'express adapter, thrown 500',
    'express-apifault',
    'express-native',
    'Express + http-errors + own handler',
    '/throw',
    0.95,
  ],
  [
    'fastify adapter, 404',
    'fastify-apifault',
    'fastify-native',
    'Fastify native 404',
    '/nowhere',
    0.95,
  ],
  [
    'fastify adapter, thrown 500',
    'fastify-apifault',
    'fastify-native',
    'Fastify native error',
    '/throw',
    0.95,
  ],
  [
    'hono adapter, 404',
    'hono-apifault',
    'hono-native',
    'Hono HTTPException + onError',
    '/nowhere',
    0.95,
  ],
  [
    'hono adapter, thrown 500',
    'hono-apifault',
    'hono-noop-middleware',
    'Hono + one no-op middleware',
    '/throw',
    0.95,
  ],
  [
    'reference: hono adapter, thrown 500',
    'hono-apifault',
    'hono-native',
    'Hono native onError (no middleware)',
    '/throw',
    undefined,
  ],
];

const PAIRS: Pair[] = ROWS.map(([name, subject, peer, peerName, path, goal]) => ({
  name,
  subject,
  peer,
  peerName,
  path,
  ...(goal === undefined ? {} : { goal }),
}));

/** Runs the error-path comparisons. */
export function run(options: RunOptions = {}): Promise<BenchRow[]> {
  return comparePairs(PAIRS, options);
}
