/**
 * The served /openapi.json passes the linters users run: Spectral (`spectral:oas`) and Redocly
 * (`recommended`) with no error, and every warning left is one the README explains.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { buildOpenApi, type RouteSpec, startEmulator } from '@apifault/emulator';
import { type LintProblem, lintWithRedocly, lintWithSpectral } from './helpers/openapi-lint.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
/** The README's section on the warnings left: each names its rule as `tool rule`. */
const EXPLAINED = README.slice(README.indexOf('### What the linters still warn about'));

async function lint(source: string): Promise<LintProblem[]> {
  return [...(await lintWithSpectral(source)), ...(await lintWithRedocly(source))];
}

function show(problems: LintProblem[]): string {
  return problems.map((p) => `${p.tool} ${p.rule} ${p.where}: ${p.message}`).join('\n');
}

describe('/openapi.json under Spectral and Redocly', () => {
  it('has no error, and only the warnings the README explains', async () => {
    const emu = await startEmulator({ memory: true, port: 0, log: false });
    let source: string;
    try {
      const res = await fetch(`${emu.url}/openapi.json`);
      assert.equal(res.status, 200);
      source = await res.text();
    } finally {
      await emu.close();
    }
    const problems = await lint(source);
    const errors = problems.filter((p) => p.severity === 'error');
    assert.deepEqual(errors, [], show(errors));
    const unexplained = problems.filter((p) => !EXPLAINED.includes(`\`${p.tool} ${p.rule}\``));
    assert.deepEqual(unexplained, [], show(unexplained));
  });

  it('stays clean for routes the table can describe: nested parameters, a wildcard a route now models', async () => {
    const base = { success: 200, errors: [401, 404], auth: true } as const;
    const routes: RouteSpec[] = [
      {
        ...base,
        method: 'GET',
        path: '/v1/customers/:customerId',
        name: 'getCustomer',
        summary: 'A customer.',
      },
      {
        ...base,
        method: 'POST',
        path: '/v1/customers/:customerId/carts',
        name: 'createCustomer',
        summary: 'A cart.',
        success: 201,
        errors: [400, 401, 409],
        body: true,
      },
      {
        ...base,
        method: 'GET',
        path: '/v1/customers/:customerId/carts/:cartId',
        name: 'getOrder',
        summary: 'A cart.',
      },
      {
        ...base,
        method: 'DELETE',
        path: '/v1/products/:productId/skus/:skuId',
        name: 'deleteFaults',
        summary: 'A SKU.',
        success: 204,
      },
    ];
    const doc = buildOpenApi({
      routes,
      notModelled: ['/v1/customers/:customerId/carts/*', '/v1/products/*', '/v1/profiles/*'],
    }) as { paths: Record<string, unknown> };
    // The cart route takes the place of the wildcard of the same shape.
    assert.equal(doc.paths['/v1/customers/{customerId}/carts/{subpath}'], undefined);
    assert.ok(doc.paths['/v1/products/{subpath}']);
    const problems = await lint(JSON.stringify(doc));
    const errors = problems.filter((p) => p.severity === 'error');
    assert.deepEqual(errors, [], show(errors));
  });
});
