/** The onRender option: an application rewrites an error response's wire form, on every path that answers an error. */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { tooManyRequests } from '@apifault/contract';
import { type ApifaultOptions, createApp, type RenderedError } from '@apifault/server';

function realThrottle(rendered: RenderedError): RenderedError {
  if (rendered.status !== 429) return rendered;
  const seconds = rendered.headers['retry-after'];
  const headers: Record<string, string> = {
    ...rendered.headers,
    'content-type': 'application/json',
  };
  delete headers.ratelimit;
  return {
    ...rendered,
    headers,
    json: JSON.stringify({ statusCode: 429, message: `Try again in ${seconds} seconds.` }),
  };
}

async function serve(options: ApifaultOptions): Promise<{ url: string; server: Server }> {
  const app = createApp(options);
  app.get('/slow-down', () => {
    throw tooManyRequests({ retryAfter: 7, headers: { RateLimit: '"p";r=0;t=7' } });
  });
  app.get('/missing', () => undefined);
  const server = createServer(app.handler).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('onRender', () => {
  let rewritten: { url: string; server: Server };
  let failing: { url: string; server: Server };
  const warnings: unknown[] = [];

  before(async () => {
    rewritten = await serve({ onRender: realThrottle });
    failing = await serve({
      onRender: () => {
        throw new Error('broken hook');
      },
      logger: { error() {}, info() {}, warn: (obj) => warnings.push(obj) },
    });
  });
  after(() => {
    rewritten.server.close();
    failing.server.close();
  });

  it('sends what it returns: another body, headers changed, ids kept', async () => {
    const response = await fetch(`${rewritten.url}/slow-down`, {
      headers: { 'ms-requestid': 'r-1' },
    });
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('retry-after'), '7');
    assert.equal(response.headers.get('ratelimit'), null);
    assert.equal(response.headers.get('ms-requestid'), 'r-1');
    assert.deepEqual(await response.json(), {
      statusCode: 429,
      message: 'Try again in 7 seconds.',
    });
  });

  it('leaves the statuses it returns unchanged as the contract has them', async () => {
    const response = await fetch(`${rewritten.url}/nope`);
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(((await response.json()) as { code: string }).code, '404');
  });

  it('falls back to the contract response when it throws, and logs it', async () => {
    const response = await fetch(`${failing.url}/slow-down`);
    assert.equal(response.status, 429);
    assert.equal(((await response.json()) as { code: string }).code, '429');
    assert.equal(warnings.length, 1);
  });
});
