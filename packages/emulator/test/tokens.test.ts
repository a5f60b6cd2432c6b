/** Token verification: forged, foreign, expired and unsigned tokens are 401, never 500. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateErrorBody } from '@apifault/contract';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '@apifault/emulator';
import { SignJWT, UnsecuredJWT } from 'jose';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';

describe('bearer tokens', () => {
  let emu: TestEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());

  async function statusWith(token: string): Promise<number> {
    const res = await fetch(`${emu.url}/v1/customers`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as unknown;
    if (res.status !== 200) {
      assert.deepEqual(validateErrorBody(body), []);
      assert.equal(res.headers.get('www-authenticate'), 'OAuth realm=urn:cpsvc:cpid:apifault');
    }
    return res.status;
  }

  const claims = { tid: 'f0e1d2c3-b4a5-4697-8899-aabbccddeeff', roles: ['AdminAgent'] };

  it('accepts a minted token', async () => {
    assert.equal(await statusWith(await emu.token()), 200);
  });

  it('refuses a token signed with another key', async () => {
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-secret-not-the-secret-32b'));
    assert.equal(await statusWith(token), 401);
  });

  it('refuses alg: none', async () => {
    const token = new UnsecuredJWT(claims)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setExpirationTime('1h')
      .encode();
    // An unsecured JWT ends with a dot; send it with a fake signature too.
    assert.equal(await statusWith(`${token}c2ln`), 401);
  });

  it('refuses expired, wrong-audience and wrong-issuer tokens, and garbage', async () => {
    const mint = emu.emulator.tokens;
    const expired = await mint.mint({ partner: claims.tid, ttlSeconds: -10 });
    assert.equal(await statusWith(expired), 401);
    const [header, payload, signature] = (await emu.token()).split('.') as [string, string, string];
    const changed = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        aud: 'someone-else',
      }),
    ).toString('base64url');
    assert.equal(await statusWith(`${header}.${changed}.${signature}`), 401);
    assert.equal(await statusWith('abc.def.ghi'), 401);
    assert.equal(await statusWith('x'), 401);
  });

  it('checks a token that reuses a verified token’s signature, rather than trusting the cache', async () => {
    const genuine = await emu.token();
    assert.equal(await statusWith(genuine), 200);
    const [header, payload, signature] = genuine.split('.') as [string, string, string];
    const other = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        tid: '00000000-0000-4000-8000-00000000beef',
      }),
    ).toString('base64url');
    const forged = `${header}.${other}.${signature}`;
    assert.equal(emu.emulator.tokens.verified(forged), undefined);
    assert.equal(await statusWith(forged), 401);
    // The genuine token is still known after the forged one was refused.
    assert.notEqual(emu.emulator.tokens.verified(genuine), undefined);
    assert.equal(await statusWith(genuine), 200);
  });
});
