/**
 * The README's host example, run as written but for its port: it serves the page and the
 * host's name, and with a page's stream open, what it answers reaches the stream.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

/** A port free a moment ago, for the example's fixed one. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  return port;
}

/** Fetches `url` until the example listens (bounded: 10 s). */
async function ready(url: string): Promise<Response> {
  for (let tries = 0; ; tries++) {
    try {
      return await fetch(url);
    } catch (error) {
      if (tries >= 100) throw error;
      await sleep(100);
    }
  }
}

let child: ChildProcess | undefined;
let dir: string | undefined;
after(async () => {
  child?.kill();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

test('the README example serves the dashboard and streams what it answers', {
  timeout: 20_000,
}, async () => {
  const readme = await readFile(join(PACKAGE, 'README.md'), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(code, 'the README has a ts example');
  const port = await freePort();
  const written = ".listen(8080, '127.0.0.1')";
  assert.ok(code.includes(written), 'the example listens on 8080');
  // Inside the package, so that @apifault/dashboard resolves as it does for the tests.
  dir = await mkdtemp(join(PACKAGE, 'test', '.readme-'));
  const file = join(dir, 'example.ts');
  await writeFile(file, code.replace(written, `.listen(${port}, '127.0.0.1')`));
  child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', file], {
    cwd: PACKAGE,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;

  const page = await ready(`${base}/_emulator/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  const host = await fetch(`${base}/_emulator/ui/host.json`);
  assert.deepEqual(await host.json(), { name: 'my API', panels: ['traffic'] });

  const events = await fetch(`${base}/_emulator/events`);
  assert.equal(events.status, 200);
  const reader = (events.body as ReadableStream<Uint8Array>).getReader();
  const hello = await fetch(`${base}/orders?id=1`);
  assert.equal(await hello.text(), 'hello');
  let text = '';
  const decoder = new TextDecoder();
  while (!text.includes('event: exchange')) {
    const { value, done } = await reader.read();
    assert.equal(done, false, 'the stream ended before the exchange');
    text += decoder.decode(value, { stream: true });
  }
  const published = JSON.parse(/event: exchange\ndata: (.*)\n/.exec(text)?.[1] ?? '{}') as {
    method?: string;
    path?: string;
    status?: number;
  };
  assert.equal(published.method, 'GET');
  assert.equal(published.path, '/orders');
  assert.equal(published.status, 200);
  await reader.cancel();
});
