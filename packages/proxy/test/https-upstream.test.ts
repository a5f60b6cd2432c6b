/** An HTTPS upstream: the emulator on TLS with a self-signed certificate, trusted through `ca`; without it, 502. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { localCertificate, type RunningEmulator, startEmulator } from '@apifault/emulator';
import { startProxy } from '@apifault/proxy';
import { send } from './helpers/http.js';
import { tempDir } from './helpers/temp.js';

describe('HTTPS upstream', () => {
  let emulator: RunningEmulator;
  let cert: string;

  before(async () => {
    const tls = await localCertificate(tempDir('apifault-tls-'));
    cert = tls.cert;
    emulator = await startEmulator({ port: 0, memory: true, log: false, tls });
  });
  after(() => emulator.close());

  it('forwards over TLS to an upstream whose root is trusted, and answers 502 when it is not', async () => {
    assert.match(emulator.url, /^https:/);
    const trusted = await startProxy({ upstream: emulator.url, port: 0, ca: cert });
    const untrusted = await startProxy({ upstream: emulator.url, port: 0 });
    try {
      const token = await emulator.token();
      const answer = await send(`${trusted.url}/v1/customers`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(answer.status, 200);
      assert.equal(JSON.parse(answer.body.toString()).totalCount, 3);
      assert.equal((await send(`${untrusted.url}/v1/customers`)).status, 502);
    } finally {
      await trusted.close();
      await untrusted.close();
    }
  });
});
