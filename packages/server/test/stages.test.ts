/**
 * How a run of stages ends: synchronous until a stage returns a promise, then each promise
 * awaited in turn; `STOP` and a returned refusal end the run, a throw or a rejection
 * propagates, and no stage runs after the one that ended it.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorParts, STOP, type Stage, type StageResult } from '@apifault/server';
import type { Exchange } from '../src/pipeline/exchange.js';
import { runStages } from '../src/pipeline/stages.js';

const exchange = {} as Exchange;
const FORBIDDEN = errorParts({ status: 403 });

/** Stages named by what each returns; `ran` lists the names of those that ran, in order. */
function stages(...results: (() => StageResult)[]): { list: Stage[]; ran: string[] } {
  const ran: string[] = [];
  const list = results.map((result, i) => ({
    name: `s${i}`,
    run() {
      ran.push(`s${i}`);
      return result();
    },
  }));
  return { list, ran };
}

const nothing = (): StageResult => undefined;
const later = (value?: Awaited<StageResult>) => (): StageResult =>
  new Promise((resolve) => setImmediate(() => resolve(value)));

test('stages that all answer at once end the run in the same tick, with no promise', () => {
  const { list, ran } = stages(nothing, nothing, nothing);
  assert.equal(runStages(list, 0, exchange), true);
  assert.deepEqual(ran, ['s0', 's1', 's2']);
});

test('after a stage that returns a promise, the next ones run once it settles, in order', async () => {
  const { list, ran } = stages(nothing, later(), nothing, later(), nothing);
  const outcome = runStages(list, 0, exchange);
  assert.ok(outcome instanceof Promise);
  assert.deepEqual(ran, ['s0', 's1'], 'nothing after s1 ran before its promise settled');
  assert.equal(await outcome, true);
  assert.deepEqual(ran, ['s0', 's1', 's2', 's3', 's4']);
});

test('STOP ends the run, returned at once or resolved', async () => {
  const sync = stages(nothing, () => STOP, nothing);
  assert.equal(runStages(sync.list, 0, exchange), false);
  assert.deepEqual(sync.ran, ['s0', 's1']);

  const async = stages(later(), later(STOP), nothing);
  assert.equal(await runStages(async.list, 0, exchange), false);
  assert.deepEqual(async.ran, ['s0', 's1']);
});

test('a refusal ends the run and is its outcome, returned at once or resolved', async () => {
  const sync = stages(nothing, () => FORBIDDEN, nothing);
  assert.equal(runStages(sync.list, 0, exchange), FORBIDDEN);
  assert.deepEqual(sync.ran, ['s0', 's1']);

  const resolved = stages(later(), later(FORBIDDEN), nothing);
  assert.equal(await runStages(resolved.list, 0, exchange), FORBIDDEN);
  assert.deepEqual(resolved.ran, ['s0', 's1']);

  const afterAsync = stages(later(), () => FORBIDDEN, nothing);
  assert.equal(await runStages(afterAsync.list, 0, exchange), FORBIDDEN);
  assert.deepEqual(afterAsync.ran, ['s0', 's1']);
});

test('a throw or a rejection propagates, and no later stage runs', async () => {
  const boom = new Error('boom');
  const thrown = stages(nothing, () => {
    throw boom;
  });
  assert.throws(() => runStages(thrown.list, 0, exchange), boom);

  const rejected = stages(later(), () => Promise.reject(boom), nothing);
  await assert.rejects(async () => runStages(rejected.list, 0, exchange), boom);
  assert.deepEqual(rejected.ran, ['s0', 's1']);

  const thrownLater = stages(
    later(),
    () => {
      throw boom;
    },
    nothing,
  );
  await assert.rejects(async () => runStages(thrownLater.list, 0, exchange), boom);
  assert.deepEqual(thrownLater.ran, ['s0', 's1']);
});

test('a run starts at the index it is given', () => {
  const { list, ran } = stages(nothing, nothing, nothing);
  assert.equal(runStages(list, 2, exchange), true);
  assert.deepEqual(ran, ['s2']);
});
