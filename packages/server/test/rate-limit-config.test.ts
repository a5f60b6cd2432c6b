/** The rate limiter rejects bad configuration at creation, naming the faulty field. */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  createRateLimiter,
  memoryStore,
  type RateLimiterOptions,
  type RateLimitPolicy,
  redisStore,
} from '../src/rate-limit/index.js';

const key = (): string => 'k';
const policy = (overrides: Partial<RateLimitPolicy> = {}): RateLimitPolicy => ({
  name: 'api',
  key,
  windows: [{ limit: 10, windowSeconds: 10 }],
  ...overrides,
});
const base = (overrides: Record<string, unknown> = {}): RateLimiterOptions =>
  ({ store: 'memory', failure: 'open', policies: [policy()], ...overrides }) as RateLimiterOptions;

const cases: [title: string, options: unknown, error: typeof TypeError, field: RegExp][] = [
  ['no options', undefined, TypeError, /options/],
  ['no policies', base({ policies: undefined }), TypeError, /policies/],
  ['empty policies', base({ policies: [] }), TypeError, /policies must be a non-empty array/],
  [
    'zero limit',
    base({ policies: [policy({ windows: [{ limit: 0, windowSeconds: 10 }] })] }),
    RangeError,
    /policies\[0\]\.windows\[0\]\.limit/,
  ],
  [
    'negative limit',
    base({ policies: [policy({ windows: [{ limit: -5, windowSeconds: 10 }] })] }),
    RangeError,
    /windows\[0\]\.limit must be a positive integer, got -5/,
  ],
  [
    'fractional limit',
    base({ policies: [policy({ windows: [{ limit: 2.5, windowSeconds: 10 }] })] }),
    RangeError,
    /limit/,
  ],
  [
    'NaN limit',
    base({ policies: [policy({ windows: [{ limit: Number.NaN, windowSeconds: 10 }] })] }),
    TypeError,
    /limit/,
  ],
  [
    'string limit',
    base({
      policies: [policy({ windows: [{ limit: '10' as unknown as number, windowSeconds: 10 }] })],
    }),
    TypeError,
    /limit must be a positive integer, got "10"/,
  ],
  [
    'infinite limit',
    base({
      policies: [policy({ windows: [{ limit: Number.POSITIVE_INFINITY, windowSeconds: 10 }] })],
    }),
    RangeError,
    /limit/,
  ],
  [
    'zero window',
    base({ policies: [policy({ windows: [{ limit: 10, windowSeconds: 0 }] })] }),
    RangeError,
    /windowSeconds/,
  ],
  [
    'fractional window',
    base({ policies: [policy({ windows: [{ limit: 10, windowSeconds: 0.5 }] })] }),
    RangeError,
    /windowSeconds/,
  ],
  [
    'no windows',
    base({ policies: [policy({ windows: [] })] }),
    TypeError,
    /policies\[0\]\.windows must be a non-empty array/,
  ],
  ['zero cost', base({ policies: [policy({ cost: 0 })] }), RangeError, /policies\[0\]\.cost/],
  ['negative cost', base({ policies: [policy({ cost: -1 })] }), RangeError, /cost/],
  ['fractional cost', base({ policies: [policy({ cost: 1.5 })] }), RangeError, /cost/],
  [
    'cost above a limit',
    base({ policies: [policy({ cost: 11 })] }),
    RangeError,
    /cost \(11\) exceeds policies\[0\]\.windows\[0\]\.limit \(10\)/,
  ],
  ['unknown store name', base({ store: 'mongo' }), TypeError, /unknown store "mongo"/],
  [
    'redis as a bare name',
    base({ store: 'redis' }),
    TypeError,
    /unknown store "redis".*redisStore/,
  ],
  ['store of the wrong shape', base({ store: {} }), TypeError, /store must be/],
  ['no store', base({ store: undefined }), TypeError, /store must be/],
  [
    'unknown failure mode',
    base({ failure: 'maybe' }),
    TypeError,
    /failure must be 'open' or 'closed', got "maybe"/,
  ],
  ['missing failure mode', base({ failure: undefined }), TypeError, /failure/],
  ['zero retryAfterOnFailure', base({ retryAfterOnFailure: 0 }), RangeError, /retryAfterOnFailure/],
  [
    'key not a function',
    base({ policies: [policy({ key: 'tenant' as unknown as () => string })] }),
    TypeError,
    /policies\[0\]\.key must be a function/,
  ],
  [
    'name with a quote',
    base({ policies: [policy({ name: 'a"b' })] }),
    TypeError,
    /policies\[0\]\.name/,
  ],
  ['empty name', base({ policies: [policy({ name: '' })] }), TypeError, /name/],
  [
    'duplicate policy names',
    base({ policies: [policy(), policy()] }),
    TypeError,
    /policies\[1\]\.name "api" is used twice/,
  ],
  [
    'duplicate window names',
    base({
      policies: [
        policy({
          windows: [
            { limit: 1, windowSeconds: 1, name: 'w' },
            { limit: 2, windowSeconds: 2, name: 'w' },
          ],
        }),
      ],
    }),
    TypeError,
    /"w" is used twice/,
  ],
  ['bad logger', base({ logger: { warn: () => {} } }), TypeError, /logger/],
  ['empty keyPrefix', base({ keyPrefix: '' }), TypeError, /keyPrefix/],
];

for (const [title, options, error, field] of cases) {
  test(`rejects ${title}`, () => {
    assert.throws(
      () => createRateLimiter(options as RateLimiterOptions),
      (thrown: unknown) => {
        assert.ok(thrown instanceof error, `expected a ${error.name}, got ${String(thrown)}`);
        assert.match((thrown as Error).message, field);
        return true;
      },
    );
  });
}

test('redisStore rejects an empty URL', () => {
  assert.throws(() => redisStore({ url: '' }), /redisStore: options\.url must be a Redis URL/);
});

test('redisStore rejects something that is not an ioredis client', () => {
  assert.throws(
    () => redisStore({ client: {} as never }),
    /redisStore: options\.client must be an ioredis client/,
  );
});

test('accepts a valid configuration, with default window names', () => {
  const limiter = createRateLimiter({
    store: memoryStore(),
    failure: 'closed',
    policies: [
      {
        name: 'tenant',
        key,
        cost: 5,
        windows: [
          { limit: 100, windowSeconds: 10 },
          { limit: 1000, windowSeconds: 3600 },
        ],
      },
      { name: 'ip', key, windows: [{ limit: 50, windowSeconds: 1, name: 'per-ip' }] },
    ],
  });
  assert.equal(
    limiter.policyHeader,
    '"tenant-10s";q=100;w=10, "tenant-3600s";q=1000;w=3600, "per-ip";q=50;w=1',
  );
});

test('the memory store never loads ioredis; connectRedisStore loads it on demand', () => {
  const child = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'test/fixtures/rate-limit-no-ioredis.ts'],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', timeout: 20_000 },
  );
  assert.equal(child.status, 0, child.stderr);
  const { before, after } = JSON.parse(child.stdout) as { before: number; after: number };
  assert.equal(before, 0);
  assert.ok(after > 0);
});
