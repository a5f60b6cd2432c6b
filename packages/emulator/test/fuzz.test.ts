/** Bad input never makes the emulator answer 500: random bodies, paths and headers, bounded runs. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateErrorBody } from '@apifault/contract';
import { SEED_CUSTOMERS } from '@apifault/emulator';
import fc from 'fast-check';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';

describe('no 500 on bad input', () => {
  let emu: TestEmulator;
  let auth: string;
  let subscriptionPath: string;

  before(async () => {
    emu = await startTestEmulator({ rateLimit: false });
    auth = `Bearer ${await emu.token()}`;
    const base = `/v1/customers/${SEED_CUSTOMERS.adatum}/subscriptions`;
    const list = (await (
      await fetch(`${emu.url}${base}`, { headers: { authorization: auth } })
    ).json()) as {
      items: { id: string }[];
    };
    subscriptionPath = `${base}/${list.items[0]?.id}`;
  });
  after(() => emu.close());

  async function check(
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
  ) {
    const res = await fetch(`${emu.url}${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    assert.ok(res.status < 500, `${method} ${path} ${body} -> ${res.status} ${text}`);
    if (res.status >= 400) assert.deepEqual(validateErrorBody(JSON.parse(text)), [], text);
  }

  it('write bodies of any JSON shape are 2xx or 4xx', async () => {
    const json = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            companyProfile: fc.record(
              {
                domain: fc.oneof(fc.string(), fc.domain(), fc.integer()),
                companyName: fc.string(),
              },
              { requiredKeys: [] },
            ),
            billingProfile: fc.record(
              {
                email: fc.oneof(fc.emailAddress(), fc.string()),
                defaultAddress: fc.dictionary(fc.string(), fc.jsonValue()),
              },
              { requiredKeys: [] },
            ),
            lineItems: fc.array(
              fc.record(
                {
                  lineItemNumber: fc.integer(),
                  offerId: fc.string(),
                  quantity: fc.oneof(fc.integer(), fc.double()),
                },
                { requiredKeys: [] },
              ),
            ),
            quantity: fc.oneof(fc.integer(), fc.double(), fc.string()),
            status: fc.string(),
            friendlyName: fc.oneof(fc.string(), fc.constant(null)),
            autoRenewEnabled: fc.jsonValue(),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
      fc.string(),
    );
    const target = fc.constantFrom(
      ['POST', '/v1/customers'],
      ['POST', `/v1/customers/${SEED_CUSTOMERS.litware}/orders`],
      ['PATCH', 'SUBSCRIPTION'],
    );
    await fc.assert(
      fc.asyncProperty(
        target,
        json,
        fc.constantFrom('"x"', '*', 'W/"y"', ''),
        async ([method, path], body, ifMatch) => {
          const headers: Record<string, string> = ifMatch === '' ? {} : { 'if-match': ifMatch };
          await check(
            method as string,
            path === 'SUBSCRIPTION' ? subscriptionPath : (path as string),
            body,
            headers,
          );
        },
      ),
      { numRuns: 150, seed: 20261125 },
    );
  });

  it('odd paths, queries and continuation tokens are 4xx or 2xx', async () => {
    const segment = fc.oneof(
      fc.string(),
      fc.constantFrom('%', '%zz', '..', '%00', 'v1', 'customers'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { maxLength: 5 }),
        fc.string(),
        fc.string(),
        async (segments, size, token) => {
          const path = `/v1/customers/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
          await check('GET', `${path}?size=${encodeURIComponent(size)}`, undefined, {
            'ms-continuationtoken': token.replace(/[^\x20-\x7e]/g, ''),
          });
          await check('GET', `/v1/customers?size=${encodeURIComponent(size)}`, undefined, {
            'ms-continuationtoken': Buffer.from(token).toString('base64url'),
          });
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });
});
