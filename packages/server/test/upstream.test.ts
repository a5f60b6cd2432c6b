import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isApiError, validateErrorBody } from '@apifault/contract';
import { withDeadline } from '../src/deadline/index.js';
import {
  callUpstream,
  UpstreamError,
  type UpstreamFailureKind,
  upstreamNetworkError,
} from '../src/upstream/index.js';

const SECRET = 'java.lang.NullPointerException at com.internal.Billing';

let server: http.Server;
let base: string;
/** What the server saw of one hanging route: the request arriving, then closing unanswered. */
interface Hang {
  arrived: Promise<void>;
  closedUnanswered: Promise<void>;
  hasArrived: boolean;
}

const hangs = new Map<string, Hang & { onArrive(): void; onClose(): void }>();

function watchHang(path: string): Hang {
  let onArrive = () => {};
  let onClose = () => {};
  const hang = {
    arrived: new Promise<void>((resolve) => {
      onArrive = resolve;
    }),
    closedUnanswered: new Promise<void>((resolve) => {
      onClose = resolve;
    }),
    hasArrived: false,
    onArrive: () => {
      hang.hasArrived = true;
      onArrive();
    },
    onClose: () => onClose(),
  };
  hangs.set(path, hang);
  return hang;
}

/**
 * After a timeout, the request must not be left running on the upstream. A timer of a few
 * milliseconds may fire before the request even reaches the server: then there is nothing
 * to close, and the test says so rather than wait for a close that cannot come.
 */
async function assertNotLeftRunning(hang: Hang, t: { diagnostic(message: string): void }) {
  if (hang.hasArrived) await hang.closedUnanswered;
  else t.diagnostic('the timer fired before the request reached the server');
}

before(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const hang = hangs.get(path);
    hang?.onArrive();
    res.on('close', () => {
      if (!res.writableFinished) hang?.onClose();
    });
    switch (path) {
      case '/json':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"c1","quantity":3}');
        return;
      case '/json-untyped':
        res.end('[1,2]');
        return;
      case '/echo': {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (chunk: string) => {
          body += chunk;
        });
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/vnd.api+json' });
          res.end(JSON.stringify({ method: req.method, body: JSON.parse(body) }));
        });
        return;
      }
      case '/no-content':
        res.writeHead(204).end();
        return;
      case '/empty-untyped':
        res.writeHead(202).end();
        return;
      case '/garbage-html':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Oops</body></html>');
        return;
      case '/garbage-json':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"id": "c1", ');
        return;
      case '/empty-json':
        res.writeHead(200, { 'content-type': 'application/json' }).end();
        return;
      case '/bad-utf8':
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(Buffer.from([0x22, 0xff, 0xfe, 0x22]));
        return;
      case '/big':
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify('x'.repeat(4096)));
        return;
      case '/big-chunked':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(`"${'x'.repeat(1000)}`);
        res.end(`${'y'.repeat(3000)}"`);
        return;
      case '/reset':
        req.socket.destroy();
        return;
      case '/reset-midway':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"items": [', () => req.socket.destroy());
        return;
      case '/unavailable':
        res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5' }).end(SECRET);
        return;
      case '/not-found':
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"code":"3000","description":"Customer c9 was not found."}');
        return;
      case '/hang':
      case '/hang-caller':
      case '/hang-deadline':
        return; // never answers
      default:
        res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Asserts a contract error of `status` caused by an UpstreamError of `kind`, and returns the cause. */
async function expectFailure(
  call: Promise<unknown>,
  status: 502 | 504,
  kind: UpstreamFailureKind,
): Promise<UpstreamError> {
  let caught: unknown;
  await call.then(
    () => assert.fail('expected the call to fail'),
    (error: unknown) => {
      caught = error;
    },
  );
  assert.ok(isApiError(caught), `not an ApiError: ${String(caught)}`);
  assert.equal(caught.status, status);
  const body = caught.toBody({ source: 'test' });
  assert.deepEqual(validateErrorBody(body), []);
  assert.match(body.description, /^The upstream service 'billing' /);
  assert.doesNotMatch(JSON.stringify(body), /NullPointer|Oops|c9|3000|ECONN|UND_ERR|socket/i);
  assert.ok(caught.cause instanceof UpstreamError);
  assert.equal(caught.cause.kind, kind);
  assert.equal(caught.cause.upstream, 'billing');
  return caught.cause;
}

const options = { name: 'billing', timeoutMs: 10_000 };

describe('callUpstream: success', () => {
  it('returns the parsed JSON of a 2xx', async () => {
    assert.deepEqual(await callUpstream(`${base}/json`, options), { id: 'c1', quantity: 3 });
    assert.deepEqual(await callUpstream(new URL('/json-untyped', base), options), [1, 2]);
  });

  it('sends method, headers and body, and accepts +json types', async () => {
    const result = await callUpstream(`${base}/echo`, {
      ...options,
      init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"q":1}' },
    });
    assert.deepEqual(result, { method: 'POST', body: { q: 1 } });
  });

  it('returns undefined for 204 and for an empty untyped 202', async () => {
    assert.equal(await callUpstream(`${base}/no-content`, options), undefined);
    assert.equal(await callUpstream(`${base}/empty-untyped`, options), undefined);
  });

  it('uses the injected fetch', async () => {
    const seen: string[] = [];
    const fetchSpy: typeof fetch = (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    await callUpstream(`${base}/json`, { ...options, fetch: fetchSpy });
    assert.deepEqual(seen, [`${base}/json`]);
  });
});

describe('callUpstream: garbage is 502', () => {
  it('a 2xx declared as HTML', async () => {
    await expectFailure(callUpstream(`${base}/garbage-html`, options), 502, 'invalid-body');
  });

  it('a 2xx declared as JSON that does not parse', async () => {
    const cause = await expectFailure(
      callUpstream(`${base}/garbage-json`, options),
      502,
      'invalid-body',
    );
    assert.ok(cause.cause instanceof SyntaxError);
  });

  it('an empty body declared as JSON', async () => {
    await expectFailure(callUpstream(`${base}/empty-json`, options), 502, 'invalid-body');
  });

  it('invalid UTF-8', async () => {
    await expectFailure(callUpstream(`${base}/bad-utf8`, options), 502, 'invalid-body');
  });

  it('a body over maxResponseBytes, declared or streamed', async () => {
    const small = { ...options, maxResponseBytes: 1024 };
    await expectFailure(callUpstream(`${base}/big`, small), 502, 'body-too-large');
    await expectFailure(callUpstream(`${base}/big-chunked`, small), 502, 'body-too-large');
  });
});

describe('callUpstream: broken connections are 502', () => {
  it('the upstream resets the socket', async () => {
    const cause = await expectFailure(
      callUpstream(`${base}/reset`, options),
      502,
      'connection-lost',
    );
    assert.ok(
      cause.systemCode === 'ECONNRESET' || cause.systemCode === 'UND_ERR_SOCKET',
      cause.systemCode,
    );
    assert.ok(cause.cause instanceof TypeError, 'the fetch failure is kept');
  });

  it('the upstream dies in the middle of the body', async () => {
    await expectFailure(callUpstream(`${base}/reset-midway`, options), 502, 'connection-lost');
  });

  it('nothing listens on the port', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const cause = await expectFailure(
      callUpstream(`http://127.0.0.1:${port}/json`, options),
      502,
      'unreachable',
    );
    assert.equal(cause.systemCode, 'ECONNREFUSED');
  });
});

describe('callUpstream: upstream errors are 502, never passed through', () => {
  it('a 503 becomes 502, its body kept for logs only', async () => {
    const cause = await expectFailure(
      callUpstream(`${base}/unavailable`, options),
      502,
      'error-status',
    );
    assert.equal(cause.status, 503);
    assert.equal(cause.body, SECRET);
  });

  it("a 404 becomes 502 (the upstream's resources are not the caller's)", async () => {
    const cause = await expectFailure(
      callUpstream(`${base}/not-found`, options),
      502,
      'error-status',
    );
    assert.equal(cause.status, 404);
  });
});

describe('callUpstream: timeouts are 504 and abort the request', () => {
  it('a hanging upstream: 504, and the server sees the connection close', async (t) => {
    const hang = watchHang('/hang');
    await expectFailure(
      callUpstream(`${base}/hang`, { name: 'billing', timeoutMs: 20 }),
      504,
      'timeout',
    );
    await assertNotLeftRunning(hang, t); // the in-flight request was really aborted
  });

  it("the caller's signal aborts the call with the caller's reason", async () => {
    const hang = watchHang('/hang-caller');
    const caller = new AbortController();
    const call = callUpstream(`${base}/hang-caller`, { ...options, signal: caller.signal });
    const reason = new Error('client went away');
    await hang.arrived; // abort a request that is in flight, not one still connecting
    caller.abort(reason);
    await assert.rejects(call, (error) => error === reason);
    await hang.closedUnanswered;
  });

  it('under withDeadline, the deadline 504 aborts the upstream call', async (t) => {
    const hang = watchHang('/hang-deadline');
    await assert.rejects(
      withDeadline(20, (signal) => callUpstream(`${base}/hang-deadline`, { ...options, signal })),
      (error: unknown) => isApiError(error) && error.status === 504,
    );
    await assertNotLeftRunning(hang, t);
  });

  it('refuses an invalid timeout, and an already aborted signal', async () => {
    await assert.rejects(
      callUpstream(`${base}/json`, { name: 'billing', timeoutMs: 0 }),
      RangeError,
    );
    const reason = new Error('gone');
    await assert.rejects(
      callUpstream(`${base}/json`, { ...options, signal: AbortSignal.abort(reason) }),
      (error) => error === reason,
    );
  });
});

describe('upstreamNetworkError: a forwarded request failing on the network', () => {
  const cases = [
    ['UND_ERR_HEADERS_TIMEOUT', 504, 'timeout', /did not answer in time/],
    ['UND_ERR_BODY_TIMEOUT', 504, 'timeout', /did not answer in time/],
    ['ECONNREFUSED', 502, 'unreachable', /could not be reached/],
    ['ECONNRESET', 502, 'connection-lost', /closed the connection/],
    [undefined, 502, 'connection-lost', /closed the connection/],
  ] as const;
  for (const [code, status, kind, words] of cases) {
    it(`${code ?? 'no system code'}: ${status} ${kind}`, () => {
      // The code sits on the cause, as fetch and undici report socket errors.
      const failure = new TypeError('fetch failed', {
        cause: Object.assign(new Error('x'), { code }),
      });
      const error = upstreamNetworkError(failure, 'billing\u0007', 'my-proxy');
      assert.equal(error.status, status);
      assert.match(error.description ?? '', words);
      assert.match(error.description ?? '', /'billing'/, 'the name is printable');
      assert.equal(error.toBody().source, 'my-proxy');
      const cause = error.cause as UpstreamError;
      assert.equal(cause.kind, kind);
      assert.equal(cause.systemCode, code);
      assert.equal(cause.cause, failure);
    });
  }
});

describe('UpstreamError', () => {
  it('keeps the name, kind and status in a log-friendly message', () => {
    const error = new UpstreamError({ upstream: 'billing', kind: 'error-status', status: 503 });
    assert.equal(error.name, 'UpstreamError');
    assert.equal(error.message, 'upstream billing: error-status (503)');
  });
});
