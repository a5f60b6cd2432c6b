import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient, isApiResponseError, isNetworkError, isTimeoutError } from '@apifault/client';
import fc from 'fast-check';
import { VirtualClock } from './helpers/virtual-clock.js';

// A fake fetch is used here only: the property ranges over arbitrary response sequences,
// which a real server would take far longer to script. Time is virtual (VirtualClock).

type Step =
  | {
      kind: 'response';
      status: number;
      retryAfter: string | undefined;
      retryAfterDateMs: number | undefined;
      retryAfterMs: string | undefined;
      challenge: boolean;
      body: string;
      latencyMs: number;
    }
  | { kind: 'network'; latencyMs: number }
  | { kind: 'hang' };

const statuses = [
  200, 201, 204, 400, 401, 403, 404, 405, 406, 408, 409, 410, 412, 418, 429, 500, 501, 502, 503,
  504, 599,
];

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('response' as const),
      status: fc.constantFrom(...statuses),
      retryAfter: fc.option(
        fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('soon', '-1', '')),
        { nil: undefined },
      ),
      retryAfterDateMs: fc.option(fc.integer({ min: -60_000, max: 300_000 }), { nil: undefined }),
      retryAfterMs: fc.option(fc.integer({ min: 0, max: 200_000 }).map(String), { nil: undefined }),
      challenge: fc.boolean(),
      body: fc.oneof(
        fc.constant(''),
        fc.constant('{"code":"3000","description":"x","data":[],"source":"PartnerFD"}'),
        fc.constant('{"statusCode":429,"message":"Rate limit is exceeded."}'),
        fc.constant('<html><body>Bad Gateway</body></html>'),
        fc.string({ maxLength: 40 }),
      ),
      latencyMs: fc.integer({ min: 0, max: 5000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('network' as const),
      latencyMs: fc.integer({ min: 0, max: 5000 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'hang' as const }) },
);

const NULL_BODY = new Set([204, 205, 304]);

function fakeFetch(steps: readonly Step[], clock: VirtualClock, calls: { count: number }) {
  return ((_input: unknown, init?: RequestInit) => {
    const current = steps[Math.min(calls.count, steps.length - 1)]!;
    calls.count++;
    const signal = init?.signal ?? undefined;
    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let handle: unknown;
      signal?.addEventListener(
        'abort',
        () => {
          if (handle !== undefined) clock.clearTimeout(handle);
          reject(signal.reason);
        },
        { once: true },
      );
      if (current.kind === 'hang') return;
      handle = clock.setTimeout(() => {
        if (current.kind === 'network') {
          reject(new TypeError('fetch failed', { cause: new Error('ECONNRESET') }));
          return;
        }
        const headers = new Headers();
        if (current.retryAfter !== undefined) headers.set('retry-after', current.retryAfter);
        if (current.retryAfterDateMs !== undefined) {
          headers.set(
            'retry-after',
            new Date(clock.now() + current.retryAfterDateMs).toUTCString(),
          );
        }
        if (current.retryAfterMs !== undefined) headers.set('retry-after-ms', current.retryAfterMs);
        if (current.challenge) headers.set('www-authenticate', 'OAuth realm=urn:cpsvc:cpid:1');
        const body = NULL_BODY.has(current.status) ? null : current.body;
        resolve(new Response(body, { status: current.status, headers }));
      }, current.latencyMs);
    });
  }) as typeof globalThis.fetch;
}

test('for any response sequence: at most `attempts` attempts, within the deadline, only documented errors', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(step, { minLength: 1, maxLength: 8 }),
      fc.record({
        attempts: fc.integer({ min: 1, max: 6 }),
        deadlineMs: fc.integer({ min: 0, max: 120_000 }),
        timeout: fc.integer({ min: 1, max: 20_000 }),
        baseDelayMs: fc.integer({ min: 0, max: 5000 }),
        maxDelayMs: fc.integer({ min: 0, max: 60_000 }),
        maxRetryAfterMs: fc.integer({ min: 0, max: 200_000 }),
        random: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        credential: fc.boolean(),
        abortAtMs: fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: undefined }),
      }),
      async (steps, config) => {
        const clock = new VirtualClock();
        const calls = { count: 0 };
        const start = clock.now();
        const client = createClient({
          baseUrl: 'http://127.0.0.1:1',
          clock,
          fetch: fakeFetch(steps, clock, calls),
          timeout: config.timeout,
          ...(config.credential ? { credential: () => `t${calls.count}` } : {}),
          retry: {
            attempts: config.attempts,
            deadlineMs: config.deadlineMs,
            baseDelayMs: config.baseDelayMs,
            maxDelayMs: config.maxDelayMs,
            maxRetryAfterMs: config.maxRetryAfterMs,
            random: () => config.random,
          },
        });
        const controller = new AbortController();
        const reason = new Error('caller abort');
        let abortTimer: unknown;
        if (config.abortAtMs !== undefined) {
          abortTimer = clock.setTimeout(() => controller.abort(reason), config.abortAtMs);
        }
        const outcome = await client
          .request(config.method, '/v1/x', {
            signal: controller.signal,
            body: config.method === 'GET' ? undefined : { a: 1 },
          })
          .then(
            (response) => ({ ok: true as const, response }),
            (error: unknown) => ({ ok: false as const, error }),
          );
        if (abortTimer !== undefined) clock.clearTimeout(abortTimer);
        const elapsed = clock.now() - start;
        assert.ok(calls.count >= 1 && calls.count <= config.attempts, `${calls.count} attempts`);
        assert.ok(elapsed <= config.deadlineMs, `${elapsed} ms > deadline ${config.deadlineMs}`);
        if (outcome.ok) {
          assert.ok(outcome.response.status >= 200 && outcome.response.status < 300);
        } else {
          const e = outcome.error;
          assert.ok(
            isApiResponseError(e) || isNetworkError(e) || isTimeoutError(e) || e === reason,
            `undocumented error: ${String(e)}`,
          );
          if (isApiResponseError(e)) {
            assert.equal(typeof e.code, 'string');
            assert.ok(e.description.length > 0);
          }
        }
        assert.equal(clock.pending, 0, 'no timer left behind');
      },
    ),
    { numRuns: 300, interruptAfterTimeLimit: 20_000 },
  );
});
