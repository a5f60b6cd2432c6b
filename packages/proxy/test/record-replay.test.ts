/**
 * Record and replay: traffic through `apifault proxy --record` against the emulator is written
 * as HAR 1.2 with every credential redacted, and the emulator's replay of that file gives the
 * same answers (status, body, end-to-end headers) offline.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type RunningEmulator, startEmulator, startReplay } from '@apifault/emulator';
import { type Har, type RunningProxy, startProxy } from '@apifault/proxy';
import { type Answer, comparable, send } from './helpers/http.js';
import { tempDir } from './helpers/temp.js';

const COMMAND = fileURLToPath(new URL('../../cli/src/apifault.ts', import.meta.url));

/** `apifault start --replay <file> --port 0` as a process, stopped with SIGTERM by close(). */
async function startReplayCommand(file: string): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      import.meta.resolve('tsx'),
      COMMAND,
      'start',
      '--replay',
      file,
      '--port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`apifault start --replay exited (${code})`)));
  });
  const url = /on (http:\/\/\S+)/.exec(line)?.[1];
  assert.ok(url, line);
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

describe('record against the emulator, replay offline', () => {
  let emulator: RunningEmulator;
  let proxy: RunningProxy;
  let token: string;
  const file = join(tempDir('apifault-har-'), 'run.har');
  const requests: { path: string; init: Parameters<typeof send>[1] }[] = [];
  const recorded: Answer[] = [];

  before(async () => {
    emulator = await startEmulator({ port: 0, memory: true, log: false });
    proxy = await startProxy({ upstream: emulator.url, port: 0, record: true });
    token = await emulator.token();
    const auth = { authorization: `Bearer ${token}` };
    requests.push(
      { path: '/v1/customers', init: { headers: auth } },
      { path: '/v1/customers/c0000001-0000-4000-8000-000000000001', init: { headers: auth } },
      {
        path: '/v1/customers/c0000001-0000-4000-8000-000000000001/subscriptions',
        init: { headers: auth },
      },
      { path: '/v1/customers/00000000-0000-4000-8000-000000000000', init: { headers: auth } },
      { path: '/v1/customers', init: {} },
      {
        path: '/_emulator/tokens',
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: 'session=abc123' },
          body: '{}',
        },
      },
    );
    for (const { path, init } of requests) recorded.push(await send(proxy.url + path, init));
    await proxy.close();
    await proxy.har?.write(file);
    await emulator.close();
  });

  it('writes HAR 1.2 with Authorization, cookies and tokens redacted', () => {
    const text = readFileSync(file, 'utf8');
    const har = JSON.parse(text) as Har;
    assert.equal(har.log.version, '1.2');
    assert.equal(har.log.entries.length, requests.length);
    assert.equal(text.includes(token), false, 'the bearer token is nowhere in the file');
    assert.equal(text.includes('abc123'), false, 'the cookie is nowhere in the file');
    const minted = JSON.parse(recorded[5]?.body.toString() ?? '{}') as Record<string, string>;
    const secret = Object.values(minted).find((v) => typeof v === 'string' && v.length > 40);
    assert.ok(secret, 'the token route answered a token');
    assert.equal(text.includes(secret), false, 'the minted token is nowhere in the file');
    const first = har.log.entries[0];
    assert.deepEqual(
      first?.request.headers.find((h) => h.name === 'authorization'),
      { name: 'authorization', value: 'Bearer [redacted]' },
    );
    assert.equal(first?.response.status, 200);
  });

  it('apifault start --replay answers the recorded requests as the emulator did', async () => {
    const replay = await startReplayCommand(file);
    try {
      for (const [index, { path, init }] of requests.entries()) {
        if (path === '/_emulator/tokens') continue; // its answer was redacted on purpose
        const original = recorded[index] as Answer;
        const again = await send(replay.url + path, init);
        assert.equal(again.status, original.status, path);
        assert.deepEqual(again.body, original.body, path);
        const { 'content-length': _, ...headers } = comparable(again);
        const { 'content-length': __, ...expected } = comparable(original);
        assert.deepEqual(headers, expected, path);
      }
      const unrecorded = await send(`${replay.url}/v1/invoices`);
      assert.equal(unrecorded.status, 404);
      assert.match(
        JSON.parse(unrecorded.body.toString()).description,
        /No answer to GET \/v1\/invoices/,
      );
    } finally {
      await replay.close();
    }
  });

  it('startReplay serves the same file in-process', async () => {
    const replay = await startReplay({ file, port: 0 });
    try {
      const again = await send(replay.url + (requests[0]?.path ?? ''), requests[0]?.init);
      assert.deepEqual(again.body, recorded[0]?.body);
    } finally {
      await replay.close();
    }
  });

  it('refuses a file that is not HAR, naming what is missing', async () => {
    const bad = join(tempDir('apifault-har-'), 'bad.har');
    writeFileSync(bad, JSON.stringify({ log: { entries: [{ request: { method: 'GET' } }] } }));
    await assert.rejects(startReplay({ file: bad, port: 0 }), /log\.entries\[0\]/);
  });
});
