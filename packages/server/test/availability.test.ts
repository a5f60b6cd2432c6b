import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isApiError, validateErrorBody } from '@apifault/contract';
import { type LoadShedder, loadShedding, maintenance } from '../src/availability/index.js';

function expect503(fn: () => unknown): Readonly<Record<string, string>> {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(isApiError(caught), 'expected a 503 ApiError');
  assert.equal(caught.status, 503);
  assert.deepEqual(validateErrorBody(caught.toBody()), []);
  return caught.headers;
}

describe('maintenance', () => {
  const NOW = Date.UTC(2024, 0, 10, 12, 0, 0);
  const now = () => NOW;

  it('lets requests through while off', () => {
    assert.doesNotThrow(() => maintenance({ enabled: false, retryAfter: 30 })());
  });

  it('answers 503 with Retry-After while on', () => {
    assert.equal(expect503(maintenance({ enabled: true, retryAfter: 30 }))['Retry-After'], '30');
  });

  it('computes Retry-After in whole seconds from until, rounded up', () => {
    const check = maintenance({ enabled: true, until: new Date(NOW + 90_500), retryAfter: 5, now });
    assert.equal(expect503(check)['Retry-After'], '91');
    let description = '';
    try {
      check();
    } catch (error) {
      description = isApiError(error) ? error.toBody().description : '';
    }
    assert.equal(
      description,
      'The service is down for maintenance until 2024-01-10T12:01:30.500Z.',
    );
  });

  it('falls back to retryAfter once until has passed, and sends none when the wait is unknown', () => {
    assert.equal(
      expect503(maintenance({ enabled: true, until: NOW - 1, retryAfter: 5, now }))['Retry-After'],
      '5',
    );
    assert.equal(expect503(maintenance({ enabled: true }))['Retry-After'], undefined);
  });

  it('asks isEnabled on every check', () => {
    let on = false;
    const check = maintenance({ isEnabled: () => on, retryAfter: 10 });
    assert.doesNotThrow(check);
    on = true;
    expect503(check);
    on = false;
    assert.doesNotThrow(check);
  });

  it('refuses invalid options', () => {
    assert.throws(() => maintenance({ enabled: true, retryAfter: 0 }), RangeError);
    assert.throws(() => maintenance({ enabled: true, until: new Date('nope') }), RangeError);
  });
});

describe('loadShedding: units', () => {
  it('counts in-flight requests, and a release counts once', () => {
    const shedder = loadShedding({ maxInFlight: 2 });
    const first = shedder.enter();
    shedder.enter();
    assert.equal(shedder.inFlight, 2);
    assert.equal(expect503(() => shedder.enter())['Retry-After'], '1');
    first();
    first();
    assert.equal(shedder.inFlight, 1);
    shedder.enter();
    assert.equal(shedder.inFlight, 2);
    shedder.close();
  });

  it('refuses invalid bounds', () => {
    assert.throws(() => loadShedding({ maxInFlight: 0 }), RangeError);
    assert.throws(() => loadShedding({ maxEventLoopDelayMs: -1 }), RangeError);
    assert.throws(() => loadShedding({ retryAfter: Number.NaN }), RangeError);
  });

  it('reports no delay once closed, and still caps in-flight requests', () => {
    const shedder = loadShedding({ maxInFlight: 1, maxEventLoopDelayMs: 1 });
    shedder.close();
    assert.equal(shedder.eventLoopDelayMs, 0);
    shedder.enter();
    expect503(() => shedder.enter());
  });
});

/** A node:http server whose every request goes through the shedder. */
async function startServer(shedder: LoadShedder, onAdmitted: (res: http.ServerResponse) => void) {
  const server = http.createServer((_req, res) => {
    let release: () => void;
    try {
      release = shedder.enter();
    } catch (error) {
      assert.ok(isApiError(error));
      res.writeHead(error.status, {
        ...error.headers,
        'content-type': 'application/json; charset=utf-8',
      });
      res.end(JSON.stringify(error.toBody({ source: 'test' })));
      return;
    }
    res.on('close', release);
    onAdmitted(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, port };
}

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

function get(port: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body }),
      );
    });
    req.on('error', reject);
  });
}

function stop(server: http.Server): Promise<unknown> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
}

describe('loadShedding: in-flight cap on a real server', () => {
  const held: http.ServerResponse[] = [];
  let arrived: () => void = () => {};
  const shedder = loadShedding({ maxInFlight: 3, retryAfter: 2 });
  let server: http.Server;
  let port: number;

  before(async () => {
    ({ server, port } = await startServer(shedder, (res) => {
      held.push(res); // held open until the test answers it
      arrived();
    }));
  });

  after(async () => {
    shedder.close();
    await stop(server);
  });

  it('holds N requests open, answers the N+1th 503, and admits again after a release', async () => {
    const allHeld = new Promise<void>((resolve) => {
      arrived = () => {
        if (held.length === 3) resolve();
      };
    });
    const open = [get(port), get(port), get(port)];
    await allHeld;
    assert.equal(shedder.inFlight, 3);

    const refused = await get(port);
    assert.equal(refused.status, 503);
    assert.equal(refused.retryAfter, '2');
    assert.deepEqual(validateErrorBody(JSON.parse(refused.body)), []);

    held.shift()!.end('done');
    assert.equal((await open[0]!).status, 200);
    // The release ran on 'close'; the next request is admitted and held.
    const fourth = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const admitted = get(port);
    await fourth;
    assert.equal(shedder.inFlight, 3);
    for (const res of held.splice(0)) res.end('done');
    assert.deepEqual(
      (await Promise.all([open[1]!, open[2]!, admitted])).map((answer) => answer.status),
      [200, 200, 200],
    );
  });
});

describe('loadShedding: event-loop lag on a real server', () => {
  const shedder = loadShedding({ maxEventLoopDelayMs: 50, sampleIntervalMs: 100, retryAfter: 3 });
  let server: http.Server;
  let port: number;

  before(async () => {
    ({ server, port } = await startServer(shedder, (res) => res.end('ok')));
  });

  after(async () => {
    shedder.close();
    await stop(server);
  });

  function blockEventLoop(ms: number): void {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      // busy-wait on purpose: nothing else runs meanwhile
    }
  }

  /** Retries until admitted: after a lag, the loop recovers within a few samples. */
  async function untilAdmitted(): Promise<Answer> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const answer = await get(port);
      if (answer.status !== 503) return answer;
      await sleep(50);
    }
    assert.fail('never admitted');
  }

  it('admits requests while the loop is healthy', async () => {
    assert.equal((await untilAdmitted()).status, 200);
  });

  it('answers 503 to a request that arrives while the loop lags, then recovers', async () => {
    // Client and server share this event loop: the request is sent, then the loop blocks,
    // and the server handles it right after, when the lag is visible.
    const pending = get(port);
    blockEventLoop(400);
    const answer = await pending;
    assert.equal(answer.status, 503);
    assert.equal(answer.retryAfter, '3');
    assert.deepEqual(validateErrorBody(JSON.parse(answer.body)), []);
    assert.equal((await untilAdmitted()).status, 200);
  });
});
