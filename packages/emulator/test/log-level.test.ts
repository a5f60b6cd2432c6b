/**
 * The request log's levels: `silent` prints nothing, `error` (the default) 5xx answers and
 * aborted exchanges, `warn` 4xx too, `info` every exchange, `debug` every exchange with its
 * target and User-Agent. Each line is one JSON object carrying its level.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOG_LEVELS, type LogLevel, startEmulator } from '@apifault/emulator';

interface Line {
  level: string;
  status: number;
  path: string;
  target?: string;
  userAgent?: string;
}

/** Sends a 200, a 404 and a forced 503 to an emulator at `level`; the lines it printed. */
async function linesAt(level: LogLevel | undefined): Promise<Line[]> {
  const lines: string[] = [];
  const emu = await startEmulator({
    memory: true,
    port: 0,
    log: (line) => lines.push(line),
    ...(level === undefined ? {} : { logLevel: level }),
  });
  try {
    const headers = { authorization: `Bearer ${await emu.token()}`, 'user-agent': 'log-test/1' };
    const requests = [
      fetch(`${emu.url}/v1/customers?size=2`, { headers }),
      fetch(`${emu.url}/v1/customers/00000000-0000-4000-8000-000000000000`, { headers }),
      fetch(`${emu.url}/v1/customers`, {
        headers: { ...headers, 'x-apifault-force-status': '503' },
      }),
    ];
    for (const res of await Promise.all(requests)) await res.arrayBuffer();
  } finally {
    await emu.close();
  }
  return lines.map((line) => JSON.parse(line) as Line).sort((a, b) => a.status - b.status);
}

describe('request log levels', () => {
  it('prints, at each level, the exchanges of that level and the more severe', async () => {
    const statuses: Record<string, number[]> = {};
    for (const level of LOG_LEVELS) statuses[level] = (await linesAt(level)).map((l) => l.status);
    assert.deepEqual(statuses, {
      silent: [],
      error: [503],
      warn: [404, 503],
      info: [200, 404, 503],
      debug: [200, 404, 503],
    });
  });

  it('defaults to error: a 2xx or 4xx answer prints nothing', async () => {
    assert.deepEqual(
      (await linesAt(undefined)).map((l) => [l.level, l.status]),
      [['error', 503]],
    );
  });

  it('gives each line its level; debug adds the target and the User-Agent', async () => {
    const info = await linesAt('info');
    assert.deepEqual(
      info.map((l) => l.level),
      ['info', 'warn', 'error'],
    );
    assert.equal(info[0]?.target, undefined);
    const debug = await linesAt('debug');
    assert.equal(debug[0]?.target, '/v1/customers?size=2');
    assert.equal(debug[0]?.userAgent, 'log-test/1');
  });
});
