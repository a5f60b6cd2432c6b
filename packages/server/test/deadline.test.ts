import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { isApiError, validateErrorBody } from '@apifault/contract';
import { withDeadline } from '../src/deadline/index.js';

const LONG = 60_000;

function is504(error: unknown): boolean {
  assert.ok(isApiError(error));
  assert.equal(error.status, 504);
  assert.deepEqual(validateErrorBody(error.toBody()), []);
  return true;
}

describe('withDeadline', () => {
  it('returns the work result when it finishes in time', async () => {
    assert.equal(await withDeadline(LONG, async () => 42), 42);
    assert.equal(await withDeadline(LONG, () => 'sync'), 'sync');
  });

  it('passes on the work failure', async () => {
    const failure = new Error('boom');
    await assert.rejects(
      withDeadline(LONG, async () => {
        throw failure;
      }),
      (error) => error === failure,
    );
    await assert.rejects(
      withDeadline(LONG, () => {
        throw failure;
      }),
      (error) => error === failure,
    );
  });

  it('rejects with 504 and aborts the work, which sees signal.aborted and stops', async () => {
    let steps = 0;
    let sawAbort = false;
    let stopped!: () => void;
    const workStopped = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    const deadline = withDeadline(5, async (signal) => {
      while (!signal.aborted) {
        steps++;
        await nextTurn();
      }
      sawAbort = true;
      stopped();
    });
    await assert.rejects(deadline, is504);
    await workStopped;
    assert.equal(sawAbort, true);
    const stepsWhenStopped = steps;
    for (let i = 0; i < 5; i++) await nextTurn();
    assert.equal(steps, stepsWhenStopped, 'the abandoned work kept running');
  });

  it('aborts with the 504 itself as the reason, so signal-aware APIs reject with it', async () => {
    let inner: unknown;
    const outcome = withDeadline(5, async (signal) => {
      try {
        await sleep(LONG, undefined, { signal });
      } catch (error) {
        inner = error;
        throw error;
      }
    });
    let thrown: unknown;
    await outcome.catch((error: unknown) => {
      thrown = error;
    });
    assert.ok(is504(thrown));
    // Wait for the sleep to observe the abort (the reason travels as the AbortError's cause).
    while (inner === undefined) await nextTurn();
    assert.equal((inner as Error).name, 'AbortError');
    assert.equal((inner as Error).cause, thrown);
  });

  it('describes the deadline, or uses the description given', async () => {
    await assert.rejects(
      withDeadline(1, () => new Promise(() => {})),
      (error: unknown) => {
        assert.ok(isApiError(error));
        assert.equal(error.toBody().description, 'The request did not complete within 1 ms.');
        return true;
      },
    );
    await assert.rejects(
      withDeadline(1, () => new Promise(() => {}), { description: 'Billing took too long.' }),
      /Billing took too long/,
    );
  });

  it("follows the caller's signal: the work is aborted and the reason passed on", async () => {
    const caller = new AbortController();
    let workSignal: AbortSignal | undefined;
    const outcome = withDeadline(
      LONG,
      (signal) => {
        workSignal = signal;
        return new Promise(() => {});
      },
      { signal: caller.signal },
    );
    await nextTurn();
    const reason = new Error('client went away');
    caller.abort(reason);
    await assert.rejects(outcome, (error) => error === reason);
    assert.equal(workSignal?.aborted, true);
    assert.equal(workSignal?.reason, reason);
  });

  it('does not start the work when the caller signal is already aborted', async () => {
    let started = false;
    const reason = new Error('already gone');
    await assert.rejects(
      withDeadline(
        LONG,
        () => {
          started = true;
        },
        { signal: AbortSignal.abort(reason) },
      ),
      (error) => error === reason,
    );
    assert.equal(started, false);
  });

  it('ignores the late outcome of abandoned work', async () => {
    let finish!: (value: string) => void;
    const outcome = withDeadline(
      1,
      () =>
        new Promise<string>((resolve) => {
          finish = resolve;
        }),
    );
    await assert.rejects(outcome, is504);
    finish('too late');
    await assert.rejects(outcome, is504);
  });

  it('refuses an invalid deadline', async () => {
    for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await assert.rejects(
        withDeadline(ms, () => 1),
        RangeError,
      );
    }
  });
});
