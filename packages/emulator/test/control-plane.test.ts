/**
 * The control plane's gate, over real HTTP on 127.0.0.1: `/_emulator/*` answers only a Host
 * and an Origin naming the emulator itself (no DNS rebinding, no cross-site page), and with a
 * control token only callers presenting it; listening beyond loopback generates one.
 */

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { validateErrorBody } from '@apifault/contract';
import { startEmulator } from '@apifault/emulator';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** One request to 127.0.0.1:port with exactly these headers (Host included), as node:http sends them. */
function call(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          ...headers,
          ...(text === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': String(text.length) }),
        },
      },
      (res) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          raw += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** Asserts a contract error of `status` and `code`, with the emulator's headers. */
function assertRefused(answer: Answer, status: number, code: string, what: string): void {
  assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
  assert.deepEqual(validateErrorBody(answer.body), [], what);
  assert.equal(answer.body.code, code, what);
  assert.equal(answer.body.source, 'PartnerFD', what);
  assert.match(String(answer.headers['content-type']), /^application\/json; charset=utf-8$/);
  assert.ok(
    answer.headers['ms-cv'] && answer.headers['ms-serverid'],
    `${what}: MS-CV, MS-ServerId`,
  );
}

describe('the control plane on loopback, without a control token', () => {
  let emu: TestEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());

  it('answers a Host naming localhost, 127.0.0.1, [::1] or its own address, whatever the port', async () => {
    for (const host of [
      `127.0.0.1:${emu.port}`,
      '127.0.0.1',
      `localhost:${emu.port}`,
      'LocalHost:8080',
      `[::1]:${emu.port}`,
    ]) {
      const res = await call(emu.port, 'GET', '/_emulator/faults', { host });
      assert.equal(res.status, 200, host);
    }
  });

  it('refuses any other Host with a contract 403: a DNS-rebinding page can neither read nor change it', async () => {
    const rebound = `evil.example:${emu.port}`;
    for (const host of [
      rebound,
      'evil.example',
      '127.0.0.1.evil.example',
      `localhost.evil.example:${emu.port}`,
      '[::1].evil.example',
      'localhost:80@evil.example',
      'localhost:http',
    ]) {
      assertRefused(
        await call(emu.port, 'GET', '/_emulator/faults', { host }),
        403,
        '2032',
        `Host: ${host}`,
      );
    }
    // What the page would do: mint a token, replace the rules, switch maintenance on.
    const page = { host: rebound, origin: `http://${rebound}` };
    assertRefused(
      await call(emu.port, 'POST', '/_emulator/tokens', page, { partner: 'victim' }),
      403,
      '2032',
      'mint',
    );
    assertRefused(
      await call(emu.port, 'PUT', '/_emulator/faults', page, { rules: ['/v1/**=500'] }),
      403,
      '2032',
      'faults',
    );
    assertRefused(
      await call(emu.port, 'PUT', '/_emulator/maintenance', page, { enabled: true }),
      403,
      '2032',
      'maintenance',
    );
    const own = { host: `127.0.0.1:${emu.port}` };
    const state = await call(emu.port, 'GET', '/_emulator/faults', own);
    assert.deepEqual(state.body.rules, []);
    assert.deepEqual(
      (await call(emu.port, 'GET', '/_emulator/maintenance', own)).body.enabled,
      false,
    );
    // Other spellings of the path reach no control route.
    for (const path of [
      '/_emulator/faults/',
      '//_emulator/faults',
      '/_emulator//faults',
      '/_EMULATOR/faults',
    ]) {
      const res = await call(emu.port, 'GET', path, { host: rebound });
      assert.ok(res.status >= 400, `${path}: ${res.status}`);
    }
  });

  it('refuses an Origin of another host (a cross-site page), answers its own', async () => {
    const host = `127.0.0.1:${emu.port}`;
    for (const origin of [
      'http://evil.example',
      `http://evil.example:${emu.port}`,
      'null',
      'file://',
      'x',
    ]) {
      assertRefused(
        await call(emu.port, 'PUT', '/_emulator/maintenance', { host, origin }, { enabled: true }),
        403,
        '2032',
        `Origin: ${origin}`,
      );
    }
    for (const origin of [
      `http://127.0.0.1:${emu.port}`,
      'http://localhost:3000',
      'https://[::1]',
    ]) {
      const res = await call(emu.port, 'GET', '/_emulator/maintenance', { host, origin });
      assert.equal(res.status, 200, origin);
      assert.equal(res.body.enabled, false);
    }
  });

  it('leaves Partner Center paths and /openapi.json to their own checks', async () => {
    const host = 'evil.example';
    assert.equal((await call(emu.port, 'GET', '/openapi.json', { host })).status, 200);
    const authorization = `Bearer ${await emu.token()}`;
    assert.equal(
      (await call(emu.port, 'GET', '/v1/customers', { host, authorization })).status,
      200,
    );
    assert.equal((await call(emu.port, 'GET', '/v1/customers', { host })).status, 401);
  });
});

describe('the control plane with a control token', () => {
  const controlToken = 'ctl-2f9c1e7a5b3d-test';
  let emu: TestEmulator;
  let host: string;
  before(async () => {
    emu = await startTestEmulator({ controlToken });
    host = `127.0.0.1:${emu.port}`;
  });
  after(() => emu.close());

  it('answers 401 with the contract body and WWW-Authenticate without the token or with another', async () => {
    const partnerToken = await emu.token();
    const cases: [string, Record<string, string>, string][] = [
      ['no Authorization', {}, '800001'],
      ['another token', { authorization: 'Bearer ctl-2f9c1e7a5b3d-tesT' }, '400'],
      ['a prefix of it', { authorization: 'Bearer ctl-2f9c1e7a5b3d' }, '400'],
      [
        'Basic',
        { authorization: `Basic ${Buffer.from(`x:${controlToken}`).toString('base64')}` },
        '400',
      ],
      ['the token without a scheme', { authorization: controlToken }, '400'],
      ['a partner token', { authorization: `Bearer ${partnerToken}` }, '400'],
      [
        'X-Apifault-Control-Token is not read',
        { 'x-apifault-control-token': controlToken },
        '800001',
      ],
    ];
    for (const [what, headers, code] of cases) {
      for (const [method, path] of [
        ['GET', '/_emulator/faults'],
        ['POST', '/_emulator/tokens'],
        ['DELETE', '/_emulator/faults'],
      ] as const) {
        const res = await call(
          emu.port,
          method,
          path,
          { host, ...headers },
          method === 'POST' ? {} : undefined,
        );
        assertRefused(res, 401, code, `${what}, ${method} ${path}`);
        assert.equal(res.headers['www-authenticate'], 'OAuth realm=urn:cpsvc:cpid:apifault');
      }
    }
  });

  it('answers the token, and still checks Host first', async () => {
    const authorization = `Bearer ${controlToken}`;
    assert.equal(
      (await call(emu.port, 'GET', '/_emulator/faults', { host, authorization })).status,
      200,
    );
    const lower = await call(emu.port, 'GET', '/_emulator/faults', {
      host,
      authorization: `bearer  ${controlToken}`,
    });
    assert.equal(lower.status, 200);
    const minted = await call(emu.port, 'POST', '/_emulator/tokens', { host, authorization }, {});
    assert.equal(minted.status, 201);
    const customers = await call(emu.port, 'GET', '/v1/customers', {
      host,
      authorization: `Bearer ${minted.body.accessToken}`,
    });
    assert.equal(customers.status, 200);
    assertRefused(
      await call(emu.port, 'GET', '/_emulator/faults', { host: 'evil.example', authorization }),
      403,
      '2032',
      'the token from another Host',
    );
    // The control token is no partner token.
    assert.equal(
      (await call(emu.port, 'GET', '/v1/customers', { host, authorization })).status,
      401,
    );
  });
});

describe('startEmulator and the control token', () => {
  it('generates one when it listens beyond loopback, and requires it', async () => {
    const emu = await startEmulator({ memory: true, port: 0, host: '0.0.0.0', log: false });
    try {
      assert.match(emu.controlToken ?? '', /^[A-Za-z0-9_-]{43}$/);
      const host = `127.0.0.1:${emu.port}`;
      assertRefused(
        await call(emu.port, 'GET', '/_emulator/faults', { host }),
        401,
        '800001',
        'none',
      );
      const ok = await call(emu.port, 'GET', '/_emulator/faults', {
        host,
        authorization: `Bearer ${emu.controlToken}`,
      });
      assert.equal(ok.status, 200);
      // The address it was told to listen on is its own.
      const named = await call(emu.port, 'GET', '/_emulator/faults', {
        host: `0.0.0.0:${emu.port}`,
        authorization: `Bearer ${emu.controlToken}`,
      });
      assert.equal(named.status, 200);
    } finally {
      await emu.close();
    }
  });

  it('needs none on loopback, takes controlHosts, and refuses a token that cannot be sent', async () => {
    const emu = await startEmulator({
      memory: true,
      port: 0,
      log: false,
      controlHosts: ['emulator'],
    });
    try {
      assert.equal(emu.controlToken, undefined);
      const res = await call(emu.port, 'GET', '/_emulator/faults', { host: 'emulator:8080' });
      assert.equal(res.status, 200);
    } finally {
      await emu.close();
    }
    for (const bad of ['', 'has space', 'crlf\r\nx', 'é'.repeat(4), 'a'.repeat(513)]) {
      await assert.rejects(
        startEmulator({ memory: true, port: 0, log: false, controlToken: bad }),
        TypeError,
        JSON.stringify(bad),
      );
    }
  });
});
