/**
 * Auth under attack: tokens signed with the emulator's real secret but carrying bad claims,
 * unsigned and algorithm-confused tokens, random mutations of a valid token, and valid tokens
 * used on another partner's customers or with too few roles. Each gets the contract's 401
 * (with the documented challenge) or 403, never a 500; secrets are never compared by hand.
 */

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { validateErrorBody } from '@apifault/contract';
import {
  OTHER_PARTNER,
  SEED_CUSTOMERS,
  SEED_PARTNER,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
} from '@apifault/emulator';
import fc from 'fast-check';
import { type JWTPayload, SignJWT } from 'jose';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';

const REALM = 'OAuth realm=urn:cpsvc:cpid:apifault';
const CUSTOMER = `/v1/customers/${SEED_CUSTOMERS.adatum}`;

function b64(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString(
    'base64url',
  );
}

describe('reliability: hostile bearer tokens on the emulator', () => {
  let emu: TestEmulator;
  let key: Uint8Array;
  let valid = '';
  before(async () => {
    emu = await startTestEmulator({ rateLimit: false });
    valid = await emu.token();
    // The real signing secret, read where the emulator keeps it, to forge well-signed tokens.
    const secret = emu.emulator.store.meta.ensure('token_secret', 'unused');
    key = new Uint8Array(Buffer.from(secret, 'base64url'));
  });
  after(() => emu.close());

  async function call(
    token: string,
    init: { method?: string; path?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: unknown; challenge: string | null }> {
    const res = await fetch(`${emu.url}${init.path ?? '/v1/customers'}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return {
      status: res.status,
      body: (await res.json()) as unknown,
      challenge: res.headers.get('www-authenticate'),
    };
  }

  async function assertRefused(token: string, status: 401 | 403, where: string): Promise<void> {
    const res = await call(token);
    assert.equal(res.status, status, `${where}: ${JSON.stringify(res.body)}`);
    assert.deepEqual(validateErrorBody(res.body), [], where);
    if (status === 401) assert.equal(res.challenge, REALM, `${where}: challenge`);
  }

  function signed(claims: JWTPayload, header: Record<string, unknown> = {}): SignJWT {
    return new SignJWT({ tid: SEED_PARTNER, roles: ['AdminAgent'], ...claims }).setProtectedHeader({
      alg: 'HS256',
      typ: 'JWT',
      ...header,
    });
  }

  test('control: a minted token and one forged with the real secret are accepted', async () => {
    assert.equal((await call(valid)).status, 200);
    const forged = await signed({})
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setExpirationTime('10m')
      .sign(key);
    assert.equal((await call(forged)).status, 200);
  });

  test('well-signed tokens with bad claims: 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, SignJWT][] = [
      [
        'wrong audience',
        signed({})
          .setIssuer(TOKEN_ISSUER)
          .setAudience('https://graph.microsoft.com')
          .setExpirationTime('10m'),
      ],
      ['no audience', signed({}).setIssuer(TOKEN_ISSUER).setExpirationTime('10m')],
      [
        'wrong issuer',
        signed({})
          .setIssuer('https://sts.windows.net/x/')
          .setAudience(TOKEN_AUDIENCE)
          .setExpirationTime('10m'),
      ],
      [
        'expired',
        signed({})
          .setIssuer(TOKEN_ISSUER)
          .setAudience(TOKEN_AUDIENCE)
          .setExpirationTime(now - 120),
      ],
      ['no expiry', signed({}).setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE)],
      [
        'not yet valid',
        signed({})
          .setIssuer(TOKEN_ISSUER)
          .setAudience(TOKEN_AUDIENCE)
          .setNotBefore(now + 3600)
          .setExpirationTime(now + 7200),
      ],
      [
        'no tid',
        signed({ tid: undefined })
          .setIssuer(TOKEN_ISSUER)
          .setAudience(TOKEN_AUDIENCE)
          .setExpirationTime('10m'),
      ],
      [
        'tid not a string',
        signed({ tid: 42 })
          .setIssuer(TOKEN_ISSUER)
          .setAudience(TOKEN_AUDIENCE)
          .setExpirationTime('10m'),
      ],
    ];
    for (const [name, jwt] of cases) await assertRefused(await jwt.sign(key), 401, name);
    // jose will not sign a `crit` it does not know: sign it by hand.
    const claims = { tid: SEED_PARTNER, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, exp: now + 600 };
    const input = `${b64({ alg: 'HS256', crit: ['x-unknown'], 'x-unknown': 1 })}.${b64(claims)}`;
    const mac = createHmac('sha256', key).update(input).digest('base64url');
    await assertRefused(`${input}.${mac}`, 401, 'unknown crit header');
  });

  test('unsigned, algorithm-confused and malformed tokens: 401', async () => {
    const [, payload, signature] = valid.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as JWTPayload;
    const other = await signed({})
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode('another-secret-of-thirty-two-bytes!'));
    const hs512 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).sign(key);
    const tokens: [string, string][] = [
      ['bad signature (another key)', other],
      ['alg none, empty signature', `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`],
      ['alg none, kept signature', `${b64({ alg: 'none' })}.${payload}.${signature}`],
      ['alg None', `${b64({ alg: 'None' })}.${payload}.`],
      ['alg HS512 with the right key', hs512],
      [
        'alg RS256 header on an HS256 signature',
        `${b64({ alg: 'RS256' })}.${payload}.${signature}`,
      ],
      [
        'embedded jwk',
        `${b64({ alg: 'HS256', jwk: { kty: 'oct', k: b64('attacker') } })}.${payload}.${signature}`,
      ],
      [
        'tampered tid',
        `${valid.split('.')[0]}.${b64({ ...claims, tid: OTHER_PARTNER })}.${signature}`,
      ],
      ['signature stripped', `${valid.split('.')[0]}.${payload}.`],
      [
        'JWE-shaped',
        `${b64({ alg: 'dir', enc: 'A256GCM' })}..${b64('iv')}.${b64('ct')}.${b64('tag')}`,
      ],
      ['header not JSON', `${b64('not json')}.${payload}.${signature}`],
      ['payload not JSON', `${valid.split('.')[0]}.${b64('[1,2')}.${signature}`],
      ['empty segments', '..'],
      ['huge', `${valid}${'A'.repeat(6000)}`],
      ['non-ASCII', 'é.é.é'],
    ];
    for (const [name, token] of tokens) await assertRefused(token, 401, name);
  });

  test('200 random mutations of a valid token: 401 unless the bytes are unchanged', async () => {
    const decoded = (token: string): string =>
      token
        .split('.')
        .map((part) => Buffer.from(part, 'base64url').toString('hex'))
        .join('.');
    const original = decoded(valid);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: valid.length - 1 }),
        fc.constantFrom(...alphabet),
        fc.constantFrom('replace', 'insert', 'delete'),
        async (at, char, op) => {
          const token =
            op === 'replace'
              ? valid.slice(0, at) + char + valid.slice(at + 1)
              : op === 'insert'
                ? valid.slice(0, at) + char + valid.slice(at)
                : valid.slice(0, at) + valid.slice(at + 1);
          const res = await call(token.trim() === '' ? '.' : token);
          // RFC 6750 allows several spaces after "Bearer", and HTTP trims a header value's
          // ends: a space added before or after the token leaves the credential unchanged.
          const same =
            token.trim() === valid ||
            (!/[^A-Za-z0-9._-]/.test(token) &&
              decoded(token) === original &&
              token.split('.').length === 3);
          if (same && res.status === 200) return;
          assert.equal(res.status, 401, `${op} ${JSON.stringify(char)} at ${at}`);
          assert.deepEqual(validateErrorBody(res.body), []);
        },
      ),
      { numRuns: 200, endOnFailure: true, includeErrorInReport: true },
    );
  });

  test('a valid token on another partner’s customer, or with too few roles: 403', async () => {
    const foreign = await emu.token(OTHER_PARTNER);
    const reader = await emu.token(SEED_PARTNER, ['HelpdeskAgent']);
    const attempts: [string, string, Parameters<typeof call>[1]][] = [
      ['another partner reads', foreign, { path: CUSTOMER }],
      ['another partner lists subscriptions', foreign, { path: `${CUSTOMER}/subscriptions` }],
      [
        'another partner orders',
        foreign,
        {
          method: 'POST',
          path: `${CUSTOMER}/orders`,
          body: { lineItems: [{ offerId: 'CFQ7TTC0LH18:0001', quantity: 1 }] },
        },
      ],
      [
        'a read-only role creates a customer',
        reader,
        {
          method: 'POST',
          path: '/v1/customers',
          body: {
            companyProfile: { domain: 'readonly-test.onmicrosoft.com', companyName: 'R' },
          },
        },
      ],
    ];
    for (const [name, token, init] of attempts) {
      const res = await call(token, init);
      assert.equal(res.status, 403, `${name}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(validateErrorBody(res.body), [], name);
    }
  });
});

/** Every `.ts` file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const SECRETISH = /(token|secret|signature|password|apikey|api_key|hmac|digest)/i;
// A comparison whose operand is not a plain literal (undefined, null, a string, a number…).
const COMPARISON = /([\w.$[\]'"]+)\s*(?:===|!==|==|!=)\s*([\w.$[\]'"`]+)/g;
const LITERAL = /^(?:undefined|null|true|false|'[^']*'|"[^"]*"|`[^`]*`|\d+|0x[0-9a-f]+)$/i;

/** Whether a source line compares two non-literal values, one of them named like a secret. */
function comparesSecrets(line: string): boolean {
  if (/^\s*(\*|\/\/|\/\*)/.test(line) || /timingSafeEqual/.test(line)) return false;
  for (const match of line.matchAll(COMPARISON)) {
    const sides = [match[1] ?? '', match[2] ?? ''];
    // `typeof token === 'string'` and `token === undefined` compare no secret.
    if (sides.some((side) => LITERAL.test(side))) continue;
    if (/typeof\s*$/.test(line.slice(0, match.index))) continue;
    if (sides.some((side) => SECRETISH.test(side))) return true;
  }
  return false;
}

describe('reliability: secrets are compared in constant time', () => {
  test('the detector flags a hand-written comparison and passes literal checks', () => {
    assert.ok(comparesSecrets('    if (header.signature === expected) return true;'));
    assert.ok(comparesSecrets('  return apiKey !== options.key;'));
    assert.ok(!comparesSecrets("  if (typeof token !== 'string') throw x;"));
    assert.ok(!comparesSecrets('  if (token === undefined) return;'));
    assert.ok(!comparesSecrets('  if (timingSafeEqual(a, b) === true) return;'));
  });

  test('no hand-written ===/!== between secret-like values in any package source', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const offenders: string[] = [];
    let files = 0;
    for (const pkg of ['contract', 'server', 'client', 'emulator', 'conformance']) {
      for (const file of sources(join(root, pkg, 'src'))) {
        files++;
        const lines = readFileSync(file, 'utf8').split('\n');
        for (const [i, line] of lines.entries()) {
          if (comparesSecrets(line))
            offenders.push(`${file.slice(root.length)}:${i + 1}: ${line.trim()}`);
        }
      }
    }
    assert.ok(files > 50, 'the scan saw the sources');
    // Token signatures are checked by jose (crypto.subtle.verify, constant time); nothing
    // else in the project compares a secret.
    assert.deepEqual(offenders, []);
  });
});
