/**
 * Fault rules: the one-line syntax, the JSON form, matching (in time linear in the path, and
 * as a simple reference does), the limits, first-N and seeded probability.
 */

import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import {
  FaultEngine,
  type FaultRule,
  FaultRuleError,
  faultRulesFromArgs,
  MAX_FAULT_RULES,
  MAX_PATTERN_LENGTH,
  parseFaultRule,
  parseFaultRules,
} from '@apifault/server/faults';
import fc from 'fast-check';

/** A rule that answers 500 on any method for `path`. */
function ruleFor(path: string): FaultRule {
  return { method: '*', path, action: { type: 'status', status: 500 }, probability: 1, delayMs: 0 };
}

/**
 * The meaning of a pattern, written the simplest way (exponential, fine for short inputs): a
 * `**` segment takes any number of path segments, any other one exactly one, in which `*`
 * takes any run of characters; one trailing slash is ignored on both sides.
 */
function referenceMatch(pattern: string, path: string): boolean {
  const split = (text: string) =>
    (text.length > 1 && text.endsWith('/') ? text.slice(0, -1) : text).split('/');
  const p = split(pattern);
  const s = split(path);
  const segment = (pp: string, ss: string): boolean => {
    if (pp === '') return ss === '';
    if (pp[0] === '*') return segment(pp.slice(1), ss) || (ss !== '' && segment(pp, ss.slice(1)));
    return ss !== '' && pp[0] === ss[0] && segment(pp.slice(1), ss.slice(1));
  };
  const from = (i: number, j: number): boolean => {
    if (i === p.length) return j === s.length;
    if (p[i] === '**') return from(i + 1, j) || (j < s.length && from(i, j + 1));
    return j < s.length && segment(p[i] as string, s[j] as string) && from(i + 1, j + 1);
  };
  return from(0, 0);
}

describe('fault rules', () => {
  it('parses the one-line syntax', () => {
    assert.deepEqual(parseFaultRule('GET /v1/customers/*=503,p=0.25,first=3,delay=10'), {
      method: 'GET',
      path: '/v1/customers/*',
      action: { type: 'status', status: 503 },
      probability: 0.25,
      first: 3,
      delayMs: 10,
    });
    assert.deepEqual(parseFaultRule('commerce=timeout').action, { type: 'timeout' });
    assert.equal(parseFaultRule('/v1/**=drop').method, '*');
  });

  it('rejects malformed rules with a message naming the problem', () => {
    for (const bad of [
      'GET /v1=banana',
      '/v1=200',
      'v1=500',
      '/v1=500,p=2',
      '/v1=500,first=0',
      '/v1=timeout',
      '/v1=delay',
      'FETCH /v1=500',
      '/v1=500,zz=1',
    ]) {
      assert.throws(() => parseFaultRule(bad), FaultRuleError, bad);
    }
    assert.throws(
      () => parseFaultRules({ rules: [{ path: '/v1', action: true }] }),
      FaultRuleError,
    );
    assert.throws(() => parseFaultRules('nope'), FaultRuleError);
  });

  it('matches method and path patterns, * inside a segment, ** across', () => {
    const engine = new FaultEngine(
      parseFaultRules(['GET /v1/customers/*=404', 'POST /v1/**=500']),
      1,
    );
    assert.equal(engine.match('GET', '/v1/customers/abc')?.action.type, 'status');
    assert.equal(engine.match('GET', '/v1/customers/abc/subscriptions'), undefined);
    assert.equal(engine.match('PATCH', '/v1/customers/abc'), undefined);
    assert.equal(engine.match('POST', '/v1/customers/a/orders')?.path, '/v1/**');
    // `**` takes any number of segments, none included; `*` stays inside one.
    const spans = new FaultEngine(
      parseFaultRules(['/v1/**/orders=500', '/v1/cust*=404', '/v1/a/**=503']),
      1,
    );
    assert.equal(spans.match('GET', '/v1/orders')?.path, '/v1/**/orders');
    assert.equal(spans.match('GET', '/v1/customers/c/orders')?.path, '/v1/**/orders');
    assert.equal(spans.match('GET', '/v1/customers/')?.path, '/v1/cust*');
    assert.equal(spans.match('GET', '/v1/customers/c'), undefined);
    assert.equal(spans.match('GET', '/v1/a')?.path, '/v1/a/**');
  });

  it('matches adversarial patterns against long paths in time linear in the path (50 ms guard each)', () => {
    // Each pattern made the former regular-expression matcher backtrack: many `**`, globs
    // with many `*` inside one segment, runs of `*` segments around a `**`. None matches.
    const patterns = [
      `/v1/${'**/'.repeat(12)}x`,
      `/v1/${'**/'.repeat(160)}x`,
      `/**/${'*a'.repeat(12)}*b/**`,
      `/${'*/'.repeat(100)}**/${'*/'.repeat(100)}x`,
      `/${Array.from({ length: 60 }, () => '**/a').join('/')}/b`,
      `/**/*a*/**/*a*/**/*a*/**/*a*/**/*a*/**/*a*/**/*a*/**/*a*/**/${'a*'.repeat(40)}b`,
    ];
    for (const pattern of patterns) assert.ok(pattern.length <= MAX_PATTERN_LENGTH, pattern);
    // Lengths grow slowly first, so the old matcher failed on a short path rather than hung.
    const lengths = [8, 16, 24, 32, 40, 48, 56, 64, 96, 128, 256, 1024, 4000];
    const shapes = [
      (n: number) => `/v1/${'a/'.repeat(Math.ceil(n / 2))}`,
      (n: number) => `/v1/${'a'.repeat(n)}`,
      (n: number) => `/${'aa/a/'.repeat(Math.ceil(n / 5))}c`,
    ];
    let slowest = 0;
    for (const n of lengths) {
      for (const pattern of patterns) {
        const engine = new FaultEngine([ruleFor(pattern)], 1);
        for (const shape of shapes) {
          const path = shape(n);
          const started = performance.now();
          const fired = engine.match('GET', path);
          const elapsed = performance.now() - started;
          slowest = Math.max(slowest, elapsed);
          assert.ok(
            elapsed < 50,
            `${pattern} on a ${path.length}-char path: ${elapsed.toFixed(1)} ms`,
          );
          assert.equal(fired, undefined, `${pattern} on ${path}`);
        }
      }
    }
    assert.ok(slowest < 50);
  });

  it('agrees with a simple reference matcher on random patterns and paths', () => {
    const patternSegment = fc.constantFrom('**', '*', 'a', 'b', 'ab', 'a*', '*b', 'a*b', '*a*', '');
    const pathSegment = fc.constantFrom('a', 'b', 'ab', 'ba', 'aab', 'bab', '');
    fc.assert(
      fc.property(
        fc.array(patternSegment, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.array(pathSegment, { maxLength: 8 }),
        fc.boolean(),
        (patternSegments, patternSlash, pathSegments, pathSlash) => {
          const pattern = `/${patternSegments.join('/')}${patternSlash ? '/' : ''}`;
          const path = `/${pathSegments.join('/')}${pathSlash ? '/' : ''}`;
          const engine = new FaultEngine([ruleFor(pattern)], 1);
          assert.equal(
            engine.match('GET', path) !== undefined,
            referenceMatch(pattern, path),
            `${pattern} against ${path}`,
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it(`refuses more than ${MAX_FAULT_RULES} rules and patterns over ${MAX_PATTERN_LENGTH} characters`, () => {
    const long = `/v1/${'a'.repeat(MAX_PATTERN_LENGTH - 4)}`;
    assert.equal(long.length, MAX_PATTERN_LENGTH);
    const many = (n: number) => Array.from({ length: n }, (_, i) => `GET /v1/r${i}=503`);
    assert.equal(parseFaultRules(many(MAX_FAULT_RULES)).length, MAX_FAULT_RULES);
    assert.equal(parseFaultRule(`${long}=503`).path, long);
    assert.equal(parseFaultRules([{ path: long, action: 503 }]).length, 1);
    const refused: [string, () => unknown, RegExp][] = [
      ['101 one-line rules', () => parseFaultRules(many(MAX_FAULT_RULES + 1)), /at most 100/],
      [
        '101 JSON rules',
        () =>
          parseFaultRules({
            rules: many(MAX_FAULT_RULES + 1).map((_, i) => ({ path: `/v1/r${i}`, action: 503 })),
          }),
        /at most 100/,
      ],
      ['a long one-line pattern', () => parseFaultRule(`${long}b=503`), /at most 512/],
      [
        'a long JSON pattern',
        () => parseFaultRules([{ path: `${long}b`, action: 503 }]),
        /at most 512/,
      ],
      ['a ** inside a segment', () => parseFaultRule('/v1/a**=503'), /whole segment/],
      [
        '101 rules built in code',
        () => new FaultEngine(many(101).map((text) => parseFaultRule(text))),
        /at most 100/,
      ],
      ['a long pattern built in code', () => new FaultEngine([ruleFor(`${long}b`)]), /at most 512/],
    ];
    for (const [what, build, message] of refused) {
      assert.throws(build, (error: unknown) => {
        assert.ok(error instanceof FaultRuleError, what);
        assert.match(error.message, message, what);
        return true;
      });
    }
  });

  it('fires for the first N matching calls only', () => {
    const engine = new FaultEngine([parseFaultRule('/v1/x=503,first=2')], 1);
    const fired = Array.from({ length: 5 }, () => engine.match('GET', '/v1/x') !== undefined);
    assert.deepEqual(fired, [true, true, false, false, false]);
  });

  it('adds and removes one rule by id; the other rules keep their counters', () => {
    const engine = new FaultEngine([parseFaultRule('/v1/a=503'), parseFaultRule('/v1/b=500')], 1);
    engine.match('GET', '/v1/a');
    engine.match('GET', '/v1/b');
    const [a, b] = engine.list().map(({ id }) => id);
    const [c] = engine.add([parseFaultRule('/v1/c=429,first=1')]);
    assert.ok(c !== undefined && c !== a && c !== b);
    engine.match('GET', '/v1/c');
    assert.equal(engine.remove(a!), true);
    assert.equal(engine.remove(a!), false, 'an id is not found twice');
    assert.deepEqual(
      engine.list().map(({ id, calls, fired }) => ({ id, calls, fired })),
      [
        { id: b, calls: 1, fired: 1 },
        { id: c, calls: 1, fired: 1 },
      ],
    );
    // Ids are never given again, so a stale id cannot remove a newer rule.
    const [d] = engine.add([parseFaultRule('/v1/d=500')]);
    assert.ok(d !== a && d !== b && d !== c);
    assert.throws(
      () =>
        engine.add(
          Array.from({ length: MAX_FAULT_RULES - 2 }, (_, i) => parseFaultRule(`/v1/r${i}=503`)),
        ),
      FaultRuleError,
      'the limit counts the rules in force',
    );
    assert.equal(engine.list().length, 3, 'nothing added on a throw');
  });

  it('replays the same faults for the same seed', () => {
    const pattern = (seed: number) => {
      const engine = new FaultEngine([parseFaultRule('/v1/x=500,p=0.3')], seed);
      return Array.from({ length: 200 }, () => (engine.match('GET', '/v1/x') ? 1 : 0)).join('');
    };
    assert.equal(pattern(42), pattern(42));
    assert.notEqual(pattern(42), pattern(43));
    const hits = [...pattern(7)].filter((c) => c === '1').length;
    assert.ok(hits > 20 && hits < 110, `about 30% of 200 fire (${hits})`);
  });
});

describe('fault rules: retryAfter, unknown keys, precedence', () => {
  it('accepts retryAfter for 429 and 503, in the one-line syntax and the JSON form', () => {
    assert.equal(parseFaultRule('GET /v1/**=429,retryAfter=57').retryAfter, 57);
    const [json] = parseFaultRules({ rules: [{ path: '/v1/**', action: 503, retryAfter: 30 }] });
    assert.equal(json?.retryAfter, 30);
    assert.equal(parseFaultRule('/v1/**=503').retryAfter, undefined);
  });

  it('refuses retryAfter on other actions, or outside 1–86400 whole seconds', () => {
    assert.throws(() => parseFaultRule('/v1/**=500,retryAfter=5'), /only applies to a 429 or 503/);
    assert.throws(() => parseFaultRule('/v1/**=drop,retryAfter=5'), /only applies to a 429 or 503/);
    assert.throws(() => parseFaultRule('/v1/**=429,retryAfter=0'), /1–86400/);
    assert.throws(() => parseFaultRule('/v1/**=429,retryAfter=1.5'), /1–86400/);
    assert.throws(
      () => parseFaultRules([{ path: '/v1/**', action: 429, retryAfter: '5' }]),
      /retryAfter must be a number/,
    );
  });

  it('refuses unknown keys in the JSON form, naming them', () => {
    assert.throws(
      () => parseFaultRules({ rules: [{ path: '/v1/**', action: 429, retry_after: 5 }] }),
      (error: unknown) =>
        error instanceof FaultRuleError &&
        /rules\[0\]: unknown key "retry_after"/.test(error.message),
    );
    assert.throws(
      () => parseFaultRules([{ path: '/v1/**', action: 503, delay: 100 }]),
      /unknown key "delay"/,
    );
  });

  it('tries rules in order: the first that matches and fires wins; one that does not fire passes to the next', () => {
    const engine = new FaultEngine(
      parseFaultRules(['GET /v1/customers=503,first=1', 'GET /v1/**=500', '* /v1/customers=404']),
      1,
    );
    const first = engine.match('GET', '/v1/customers');
    assert.equal(first?.action.type === 'status' && first.action.status, 503);
    const second = engine.match('GET', '/v1/customers');
    assert.equal(second?.action.type === 'status' && second.action.status, 500);
    const post = engine.match('POST', '/v1/customers');
    assert.equal(post?.action.type === 'status' && post.action.status, 404);
  });
});

describe('faultRulesFromArgs: the rules of --faults and --fault together', () => {
  const file = { name: 'faults.json', text: JSON.stringify({ rules: ['/v1/a=503'] }) };

  it('takes the file first, then the flags, for the host given', () => {
    const rules = faultRulesFromArgs(['GET /v1/b=truncate'], file, 'proxy');
    assert.deepEqual(
      rules.map((rule) => [rule.path, rule.action.type]),
      [
        ['/v1/a', 'status'],
        ['/v1/b', 'truncate'],
      ],
    );
    assert.throws(() => faultRulesFromArgs(['/v1/b=truncate'], undefined), FaultRuleError);
  });

  it('names the file that is not JSON or holds a bad rule', () => {
    assert.throws(
      () => faultRulesFromArgs([], { name: 'faults.json', text: '{"rules": [' }),
      (error) => error instanceof FaultRuleError && /^faults\.json is not JSON/.test(error.message),
    );
    assert.throws(
      () => faultRulesFromArgs([], { name: 'faults.json', text: '{"rules": ["/v1=999"]}' }),
      (error) => error instanceof FaultRuleError && /^faults\.json: /.test(error.message),
    );
  });

  it(`refuses more than ${MAX_FAULT_RULES} rules, the file's and the flags' together`, () => {
    const rules = (n: number) => Array.from({ length: n }, (_, i) => `/v1/r${i}=503`);
    const half = MAX_FAULT_RULES / 2;
    const many = { name: 'many.json', text: JSON.stringify(rules(half)) };
    assert.equal(faultRulesFromArgs(rules(half), many).length, MAX_FAULT_RULES);
    assert.throws(
      () => faultRulesFromArgs(rules(half + 1), many),
      (error) =>
        error instanceof FaultRuleError && /--faults and --fault together/.test(error.message),
    );
  });
});
