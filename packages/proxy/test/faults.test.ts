/**
 * Fault rules on the proxy, each action as documented: a status answered by the proxy with the
 * contract body and the status's headers (a 429 per --wire), delay (wait, then forward),
 * upstream-delay (forward, then hold the answer), hang, drop, truncate; the rules changed at
 * run time through /_emulator/faults; the emulator's own actions refused.
 */

import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { validateErrorBody } from '@apifault/contract';
import { type RunningProxy, startProxy } from '@apifault/proxy';
import { FaultRuleError, parseFaultRule, parseFaultRules } from '@apifault/server/faults';
import { type ExpressUpstream, send, startExpressUpstream } from './helpers/http.js';

describe('fault actions on the proxy', () => {
  let upstream: ExpressUpstream;
  let proxy: RunningProxy;
  let contractProxy: RunningProxy;

  before(async () => {
    upstream = await startExpressUpstream();
    proxy = await startProxy({ upstream: upstream.url, port: 0 });
    contractProxy = await startProxy({ upstream: upstream.url, port: 0, wire: 'contract' });
  });
  after(async () => {
    await proxy.close();
    await contractProxy.close();
    await upstream.close();
  });
  beforeEach(() => {
    proxy.faults.clear();
    contractProxy.faults.clear();
  });

  it('a status is answered by the proxy with the contract body and its headers; the upstream is not asked', async () => {
    proxy.faults.replace([
      parseFaultRule('GET /hello=503,retryAfter=7', 'proxy'),
      parseFaultRule('GET /echo=401', 'proxy'),
      parseFaultRule('/hop=500', 'proxy'),
    ]);
    const before = upstream.received.length;
    const unavailable = await send(`${proxy.url}/hello`, { headers: { 'ms-requestid': 'r-1' } });
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers['retry-after'], '7');
    assert.equal(unavailable.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(unavailable.headers['ms-requestid'], 'r-1');
    const body = JSON.parse(unavailable.body.toString()) as Record<string, unknown>;
    assert.deepEqual(validateErrorBody(body), []);
    assert.match(String(body.description), /Fault rule GET \/hello.*injected by apifault/);
    const unauthorized = await send(`${proxy.url}/echo`);
    assert.equal(unauthorized.status, 401);
    assert.match(String(unauthorized.headers['www-authenticate']), /^OAuth realm=/);
    const failed = await send(`${proxy.url}/hop`, { method: 'DELETE' });
    assert.equal(failed.status, 500);
    assert.equal(JSON.parse(failed.body.toString()).code, '800003');
    assert.equal(upstream.received.length, before, 'nothing reached the upstream');
  });

  it("a 429 goes out in Partner Center's shape by default and in the contract's with wire: 'contract'", async () => {
    const rule = parseFaultRule('/hello=429,retryAfter=57', 'proxy');
    proxy.faults.replace([rule]);
    contractProxy.faults.replace([rule]);
    const real = await send(`${proxy.url}/hello`);
    assert.equal(real.status, 429);
    assert.equal(real.headers['retry-after'], '57');
    assert.equal(real.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(real.body.toString()), {
      statusCode: 429,
      message: 'Rate limit is exceeded. Try again in 57 seconds.',
    });
    const contract = await send(`${contractProxy.url}/hello`);
    assert.equal(contract.status, 429);
    assert.equal(contract.headers['retry-after'], '57');
    assert.deepEqual(validateErrorBody(JSON.parse(contract.body.toString())), []);
  });

  it('delay waits before forwarding: the upstream sees the request only after the delay', async () => {
    proxy.faults.replace([parseFaultRule('GET /hello=delay,delay=300', 'proxy')]);
    const started = performance.now();
    const seen = upstream.nextRequest().then(() => performance.now() - started);
    const answer = await send(`${proxy.url}/hello`);
    assert.equal(answer.status, 200);
    assert.ok((await seen) >= 290, 'the upstream was asked after the delay');
  });

  it('upstream-delay forwards at once and holds the answer: the upstream is asked while the client still waits', async () => {
    proxy.faults.replace([parseFaultRule('GET /hello=upstream-delay,delay=400', 'proxy')]);
    let answered = false;
    const seen = upstream.nextRequest().then(() => performance.now());
    const answer = send(`${proxy.url}/hello`).finally(() => {
      answered = true;
    });
    const seenAt = await seen;
    assert.equal(answered, false, 'no answer yet when the upstream got the request');
    const { status, body } = await answer;
    assert.equal(status, 200);
    assert.deepEqual(JSON.parse(body.toString()), { hello: 'world' });
    assert.ok(performance.now() - seenAt >= 390, "the upstream's answer was held");
  });

  it('hang keeps the request open while others are served, until the client gives up', async () => {
    proxy.faults.replace([parseFaultRule('GET /hop=hang', 'proxy')]);
    let settled = false;
    const controller = new AbortController();
    const hung = fetch(`${proxy.url}/hop`, { signal: controller.signal }).finally(() => {
      settled = true;
    });
    for (let i = 0; i < 3; i++) assert.equal((await send(`${proxy.url}/hello`)).status, 200);
    assert.equal(settled, false);
    controller.abort();
    await assert.rejects(hung);
  });

  it('drop cuts the connection without an answer', async () => {
    proxy.faults.replace([parseFaultRule('GET /hello=drop', 'proxy')]);
    const before = upstream.received.length;
    await assert.rejects(send(`${proxy.url}/hello`), /socket hang up|ECONNRESET/);
    assert.equal(upstream.received.length, before);
  });

  it("truncate sends the upstream's status and headers and half its body, then cuts the connection", async () => {
    proxy.faults.replace([parseFaultRule('GET /big=truncate', 'proxy')]);
    const outcome = await new Promise<{
      status: number;
      length: string;
      received: number;
      cut: boolean;
    }>((resolve, reject) => {
      const req = httpRequest(`${proxy.url}/big`, { agent: false });
      req.on('error', reject);
      req.on('response', (res) => {
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
        });
        const done = (cut: boolean) =>
          resolve({
            status: res.statusCode ?? 0,
            length: String(res.headers['content-length']),
            received,
            cut,
          });
        res.on('end', () => done(false));
        res.on('aborted', () => done(true));
        res.on('error', () => done(true));
      });
      req.end();
    });
    assert.deepEqual(outcome, { status: 200, length: '100000', received: 50_000, cut: true });
  });

  it('the rules are read and replaced at run time through /_emulator/faults', async () => {
    const put = await send(`${proxy.url}/_emulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: ['GET /hello=418', { path: '/big', action: 'truncate' }] }),
    });
    assert.equal(put.status, 200);
    assert.equal((await send(`${proxy.url}/hello`)).status, 418);
    const listed = JSON.parse((await send(`${proxy.url}/_emulator/faults`)).body.toString());
    assert.deepEqual(
      listed.rules.map((r: { action: unknown; calls: number; fired: number }) => [
        r.action,
        r.calls,
        r.fired,
      ]),
      [
        [418, 1, 1],
        ['truncate', 0, 0],
      ],
    );
    const refused = await send(`${proxy.url}/_emulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: ['commerce=timeout'] }),
    });
    assert.equal(refused.status, 400);
    assert.deepEqual(validateErrorBody(JSON.parse(refused.body.toString())), []);
    assert.match(JSON.parse(refused.body.toString()).description, /commerce/);
    const foreign = await send(`${proxy.url}/_emulator/faults`, {
      headers: { host: 'attacker.example' },
    });
    assert.equal(foreign.status, 403);
    assert.equal((await send(`${proxy.url}/_emulator/faults`, { method: 'DELETE' })).status, 204);
    assert.equal((await send(`${proxy.url}/hello`)).status, 200);
  });

  it('a rule is added or removed alone, the others keeping their counters', async () => {
    const json = { 'content-type': 'application/json' };
    await send(`${proxy.url}/_emulator/faults`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ rules: ['GET /hello=418'] }),
    });
    assert.equal((await send(`${proxy.url}/hello`)).status, 418);
    const added = await send(`${proxy.url}/_emulator/faults`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ rules: ['GET /other=503'] }),
    });
    assert.equal(added.status, 201);
    const [rule] = JSON.parse(added.body.toString()).rules as { id: number; action: unknown }[];
    assert.equal(rule?.action, 503);
    type Shown = { id: number; action: unknown; fired: number };
    const list = async () =>
      JSON.parse((await send(`${proxy.url}/_emulator/faults`)).body.toString()).rules as Shown[];
    assert.deepEqual(
      (await list()).map((r) => [r.action, r.fired]),
      [
        [418, 1],
        [503, 0],
      ],
    );
    const first = (await list())[0]!;
    const gone = await send(`${proxy.url}/_emulator/faults/${first.id}`, { method: 'DELETE' });
    assert.equal(gone.status, 204);
    assert.deepEqual(
      (await list()).map((r) => [r.id, r.action]),
      [[rule?.id, 503]],
    );
    const missing = await send(`${proxy.url}/_emulator/faults/${first.id}`, { method: 'DELETE' });
    assert.equal(missing.status, 404);
    assert.deepEqual(validateErrorBody(JSON.parse(missing.body.toString())), []);
    const bad = await send(`${proxy.url}/_emulator/faults/x`, { method: 'DELETE' });
    assert.equal(bad.status, 400);
    assert.equal((await send(`${proxy.url}/_emulator/faults`, { method: 'DELETE' })).status, 204);
  });
});

describe('fault rules: whose actions', () => {
  it("the proxy refuses the emulator's timeout and commerce target; the emulator refuses upstream-delay and truncate", () => {
    assert.throws(() => parseFaultRule('commerce=timeout', 'proxy'), FaultRuleError);
    assert.throws(() => parseFaultRule('/v1/**=timeout', 'proxy'), /unknown action/);
    assert.throws(() => parseFaultRule('/v1/**=truncate'), /unknown action/);
    assert.throws(
      () => parseFaultRules([{ path: '/v1/**', action: 'upstream-delay' }]),
      /unknown action/,
    );
    assert.throws(() => parseFaultRule('/v1/**=upstream-delay', 'proxy'), /needs delay/);
    assert.equal(parseFaultRule('/v1/**=truncate', 'proxy').action.type, 'truncate');
    assert.equal(parseFaultRule('commerce=timeout').action.type, 'timeout');
  });
});
