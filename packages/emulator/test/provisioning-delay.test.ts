/**
 * `apifault start --provisioning-delay ms` (or APIFAULT_PROVISIONING_DELAY): how long a
 * checked-out order stays pending. The flag wins over the variable; a malformed value is
 * refused naming it.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SEED_CUSTOMERS } from '@apifault/emulator';
import { EnvironmentError, environmentArgs } from '../src/environment.js';
import { SEED_CATALOG } from '../src/store/catalog-data.js';

const cli = fileURLToPath(new URL('../../cli/src/apifault.ts', import.meta.url));
const NODE_ARGS = ['--conditions=source', '--import', import.meta.resolve('tsx'), cli];

const product = SEED_CATALOG[0];
const sku = product?.skus[0];
const catalogItemId = [product?.id, sku?.id, sku?.availabilities[0]?.id].join(':');

/** Starts `apifault start --memory` with `args` and `vars`; its URL and the banner's token. */
async function startCli(args: string[], vars: Record<string, string>) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('APIFAULT_')),
  );
  const child = spawn(
    process.execPath,
    [...NODE_ARGS, 'start', '--port', '0', '--memory', '--log', 'silent', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, ...vars } },
  );
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (lines.filter((l) => l.trimStart().startsWith('curl ')).length === 3) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${lines.join('\n')}`)));
  });
  const url = /listening on (http:\/\/[^ ]+)/.exec(lines[0] ?? '')?.[1];
  const tokenAt = lines.findIndex((l) => l.startsWith('Bearer token for partner'));
  const token = lines[tokenAt + 1]?.trim();
  assert.ok(url && token, lines.join('\n'));
  return { child, url, token };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Checks a one-line cart out; the order's status as a GET right after reads it. */
async function orderStatusAfterCheckout(url: string, token: string): Promise<string> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const customer = `${url}/v1/customers/${SEED_CUSTOMERS.litware}`;
  const line = { id: 0, catalogItemId, quantity: 5, billingCycle: 'monthly', termDuration: 'P1M' };
  const cart = await fetch(`${customer}/carts`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ lineItems: [line] }),
  });
  assert.equal(cart.status, 201);
  const { id } = (await cart.json()) as { id: string };
  const checkout = await fetch(`${customer}/carts/${id}/checkout`, { method: 'POST', headers });
  assert.equal(checkout.status, 201);
  const { orders } = (await checkout.json()) as { orders: { id: string }[] };
  const order = await fetch(`${customer}/orders/${orders[0]?.id}`, { headers });
  return ((await order.json()) as { status: string }).status;
}

describe('the provisioning delay from the command line and the environment', () => {
  it('APIFAULT_PROVISIONING_DELAY stands for --provisioning-delay; a malformed value is refused', () => {
    assert.deepEqual(environmentArgs('start', [], { APIFAULT_PROVISIONING_DELAY: '250' }), [
      '--provisioning-delay=250',
    ]);
    assert.deepEqual(
      environmentArgs('start', ['--provisioning-delay', '9'], { APIFAULT_PROVISIONING_DELAY: '0' }),
      [],
    );
    for (const bad of ['-1', '2.5', 'soon', '86400001']) {
      assert.throws(
        () => environmentArgs('start', [], { APIFAULT_PROVISIONING_DELAY: bad }),
        (error: unknown) =>
          error instanceof EnvironmentError &&
          error.message === `APIFAULT_PROVISIONING_DELAY=${bad}: must be an integer 0–86400000`,
      );
    }
  });

  it('0 from the environment completes an order at once; the flag wins with an hour', async () => {
    const now = await startCli([], { APIFAULT_PROVISIONING_DELAY: '0' });
    try {
      assert.equal(await orderStatusAfterCheckout(now.url, now.token), 'completed');
    } finally {
      await stop(now.child);
    }
    const later = await startCli(['--provisioning-delay', '3600000'], {
      APIFAULT_PROVISIONING_DELAY: '0',
    });
    try {
      assert.equal(await orderStatusAfterCheckout(later.url, later.token), 'pending');
    } finally {
      await stop(later.child);
    }
  });
});
