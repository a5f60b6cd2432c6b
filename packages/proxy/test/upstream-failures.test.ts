/**
 * The upstream down, too slow or resetting the connection: the proxy answers 502 or 504 with a
 * contract body (no internal message), and the next request goes through once the upstream is back.
 */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { validateErrorBody } from '@apifault/contract';
import { type RunningProxy, startProxy } from '@apifault/proxy';
import { type Answer, type ExpressUpstream, send, startExpressUpstream } from './helpers/http.js';

function assertContractError(answer: Answer, status: number, words: RegExp): void {
  assert.equal(answer.status, status);
  assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8');
  const body = JSON.parse(answer.body.toString()) as Record<string, unknown>;
  assert.deepEqual(validateErrorBody(body), []);
  assert.match(String(body.description), words);
  assert.doesNotMatch(answer.body.toString(), /ECONN|UND_ERR|at \w+ \(/, 'no internal detail');
}

describe('upstream failures', () => {
  let upstream: ExpressUpstream;
  let proxy: RunningProxy;

  before(async () => {
    upstream = await startExpressUpstream();
    proxy = await startProxy({ upstream: upstream.url, port: 0, timeoutMs: 300 });
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('a slow upstream gets 504, and the next request goes through', async () => {
    assertContractError(await send(`${proxy.url}/slow`), 504, /did not answer in time/);
    assert.equal((await send(`${proxy.url}/hello`)).status, 200);
  });

  it('an upstream resetting the connection gets 502, and the next request goes through', async () => {
    assertContractError(await send(`${proxy.url}/reset`), 502, /closed the connection/);
    assert.equal((await send(`${proxy.url}/hello`)).status, 200);
  });

  it('an upstream dying mid-body cuts the answer short, and the next request goes through', async () => {
    // The status and headers are already sent: all the proxy can do is cut the answer too.
    await assert.rejects(send(`${proxy.url}/cut`), /aborted|socket hang up|ECONNRESET/);
    assert.equal((await send(`${proxy.url}/hello`)).status, 200);
  });

  it('a client hanging up mid-answer closes the upstream request', async () => {
    const upstreamClosed = upstream.endlessClosed();
    const req = httpRequest(`${proxy.url}/endless`, { agent: false });
    const [res] = (await once(req.end(), 'response')) as [IncomingMessage];
    await once(res, 'data');
    req.destroy();
    await upstreamClosed;
  });

  it('an upstream that is down gets 502 until it is up again', async () => {
    // A port nobody listens on: taken, then freed.
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const down = await startProxy({ upstream: `http://127.0.0.1:${port}`, port: 0 });
    try {
      assertContractError(await send(`${down.url}/anything`), 502, /could not be reached/);
      const revived = createServer((_req, res) => res.end('back')).listen(port, '127.0.0.1');
      await once(revived, 'listening');
      try {
        const answer = await send(`${down.url}/anything`);
        assert.equal(answer.status, 200);
        assert.equal(answer.body.toString(), 'back');
      } finally {
        revived.closeAllConnections();
        await new Promise((resolve) => revived.close(resolve));
      }
    } finally {
      await down.close();
    }
  });
});
