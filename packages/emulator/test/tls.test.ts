/**
 * HTTPS: `startEmulator({ tls })` and `apifault start --tls` serve the contract over TLS with
 * a self-signed certificate for localhost kept beside the database; a client that trusts it
 * gets the contract's errors, and plain HTTP to the TLS port is refused without an answer.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { localCertificate, startEmulator } from '@apifault/emulator';
import { tempDir } from './helpers/emulator.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../cli/src/apifault.ts', import.meta.url));
const NODE_ARGS = ['--conditions=source', '--import', import.meta.resolve('tsx'), cli];

/** GET over TLS trusting only `ca`: the status and the parsed body. */
function getTls(
  url: string,
  ca: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Spawns `apifault start` and reads its banner up to the third curl line. */
async function startCli(args: string[]): Promise<{ child: ChildProcess; banner: string[] }> {
  const child = spawn(process.execPath, [...NODE_ARGS, 'start', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const banner: string[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      banner.push(line);
      if (banner.filter((l) => l.trimStart().startsWith('curl ')).length === 3) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${banner.join('\n')}`)));
  });
  return { child, banner };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('HTTPS', () => {
  const dir = tempDir();
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a certificate for localhost once, then reuses it', async () => {
    const first = await localCertificate(join(dir, 'certs'));
    const second = await localCertificate(join(dir, 'certs'));
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.cert, first.cert);
    assert.equal(readFileSync(first.certFile, 'utf8'), first.cert);
  });

  it('serves the contract over TLS to a client that trusts the certificate; plain HTTP is refused', async () => {
    const certificate = await localCertificate(join(dir, 'certs'));
    const emu = await startEmulator({ memory: true, port: 0, log: false, tls: certificate });
    try {
      assert.match(emu.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const authorization = `Bearer ${await emu.token()}`;
      const missing = await getTls(
        `${emu.url}/v1/customers/00000000-0000-4000-8000-000000000000`,
        certificate.cert,
        { authorization },
      );
      assert.equal(missing.status, 404);
      assert.equal(missing.body.code, '3000');
      assert.equal(missing.body.source, 'PartnerFD');
      const noToken = await getTls(`https://localhost:${emu.port}/v1/customers`, certificate.cert);
      assert.equal(noToken.status, 401);
      // The same port over plain HTTP: the TLS handshake fails, the connection is closed.
      await assert.rejects(
        fetch(`http://127.0.0.1:${emu.port}/v1/customers`, { signal: AbortSignal.timeout(5000) }),
        (error: Error) => error.name === 'TypeError',
      );
      // A client that does not trust the certificate is refused by its own TLS check.
      await assert.rejects(fetch(`${emu.url}/openapi.json`), TypeError);
      // And the emulator still serves.
      assert.equal((await getTls(`${emu.url}/openapi.json`, certificate.cert)).status, 200);
    } finally {
      await emu.close();
    }
  });

  it('apifault start --tls prints the certificate, how to trust it, and https curl lines that work', async () => {
    const db = join(dir, 'tls.db');
    const { child, banner } = await startCli(['--port', '0', '--db', db, '--tls', '--quiet']);
    try {
      const text = banner.join('\n');
      const certFile = join(dir, 'localhost-cert.pem');
      assert.match(text, /listening on https:\/\/127\.0\.0\.1:\d+/);
      assert.ok(
        text.includes(`(self-signed for localhost, 127.0.0.1, ::1; generated): ${certFile}`),
      );
      assert.ok(text.includes(`NODE_EXTRA_CA_CERTS='${certFile}'`));
      const curls = banner.map((l) => l.trim()).filter((l) => l.startsWith('curl '));
      assert.equal(curls.length, 3);
      for (const line of curls) assert.match(line, /--cacert .* https:\/\//);
      const customers = JSON.parse((await run('sh', ['-c', curls[0] as string])).stdout) as {
        items: unknown[];
      };
      assert.equal(customers.items.length, 3);
      // NODE_EXTRA_CA_CERTS as printed: Node's own fetch trusts the emulator.
      const url = /listening on (\S+)/.exec(text)?.[1];
      const { stdout } = await run(
        process.execPath,
        [
          '-e',
          `fetch(${JSON.stringify(`${url}/openapi.json`)}).then((r) => console.log(r.status))`,
        ],
        { env: { ...process.env, NODE_EXTRA_CA_CERTS: certFile } },
      );
      assert.equal(stdout.trim(), '200');
    } finally {
      await stop(child);
    }
    const again = await startCli(['--port', '0', '--db', db, '--tls', '--quiet']);
    await stop(again.child);
    assert.match(again.banner.join('\n'), /; reused\): /);
  });
});
