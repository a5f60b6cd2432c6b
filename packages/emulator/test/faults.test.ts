/** Fault rules: the one-line syntax, the JSON form, matching, first-N and seeded probability. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultEngine, FaultRuleError, parseFaultRule, parseFaultRules } from '@apifault/emulator';

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
  });

  it('fires for the first N matching calls only', () => {
    const engine = new FaultEngine([parseFaultRule('/v1/x=503,first=2')], 1);
    const fired = Array.from({ length: 5 }, () => engine.match('GET', '/v1/x') !== undefined);
    assert.deepEqual(fired, [true, true, false, false, false]);
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
