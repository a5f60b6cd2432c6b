/** The catalog: products by country and view, SKUs, availabilities, and each documented error from its cause. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestEmulator, type TestEmulator } from './helpers/emulator.js';

let emu: TestEmulator;
let headers: Record<string, string>;

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emu.url}${path}`, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

before(async () => {
  emu = await startTestEmulator();
  headers = { authorization: `Bearer ${await emu.token()}` };
});
after(() => emu.close());

describe('catalog', () => {
  it('lists the seeded license-based products of OnlineServices in the US', async () => {
    const { status, body } = await get('/v1/products?country=US&targetView=OnlineServices');
    assert.equal(status, 200);
    assert.equal(body.totalCount, 5);
    const items = body.items as { id: string; title: string; attributes: unknown }[];
    assert.deepEqual(items.map((p) => p.title).sort(), [
      'Microsoft 365 Business Basic',
      'Microsoft 365 Business Premium',
      'Microsoft 365 Business Standard',
      'Microsoft 365 E3',
      'Microsoft Teams Essentials',
    ]);
    assert.deepEqual(items[0]?.attributes, { objectType: 'Product' });
    assert.deepEqual(body.attributes, { objectType: 'Collection' });
  });

  it('answers an empty collection for another documented view or a country with no availability', async () => {
    assert.equal((await get('/v1/products?country=US&targetView=Azure')).body.totalCount, 0);
    assert.equal(
      (await get('/v1/products?country=FR&targetView=OnlineServices')).body.totalCount,
      0,
    );
  });

  it('walks product → SKUs → availabilities, catalogItemId = productId:skuId:availabilityId', async () => {
    const product = await get('/v1/products/CFQ7TTC0LFLZ?country=US');
    assert.equal(product.status, 200);
    assert.equal(product.body.title, 'Microsoft 365 E3');
    const skus = await get('/v1/products/CFQ7TTC0LFLZ/skus?country=US');
    assert.equal(skus.body.totalCount, 2);
    const sku = await get('/v1/products/CFQ7TTC0LFLZ/skus/0001?country=US');
    assert.equal(sku.body.minimumQuantity, 1);
    assert.equal(sku.body.maximumQuantity, 10000);
    assert.deepEqual(sku.body.supportedBillingCycles, ['monthly', 'annual', 'triennial']);
    const list = await get('/v1/products/CFQ7TTC0LFLZ/skus/0001/availabilities?country=US');
    const [availability] = list.body.items as {
      id: string;
      catalogItemId: string;
      terms: { duration: string; billingCycle: string }[];
    }[];
    assert.ok(availability);
    assert.equal(availability.catalogItemId, `CFQ7TTC0LFLZ:0001:${availability.id}`);
    assert.deepEqual(
      availability.terms.map((t) => `${t.duration}/${t.billingCycle}`),
      ['P1M/Monthly', 'P1Y/Monthly', 'P1Y/Annual', 'P3Y/Triennial', 'P3Y/Annual'],
    );
    const one = await get(
      `/v1/products/CFQ7TTC0LFLZ/skus/0001/availabilities/${availability.id}?country=US`,
    );
    assert.equal(one.status, 200);
    assert.deepEqual(one.body.attributes, { objectType: 'Availability' });
  });

  it('400 800002 without country or targetView', async () => {
    for (const path of [
      '/v1/products?targetView=OnlineServices',
      '/v1/products?country=US',
      '/v1/products/CFQ7TTC0LH18',
      '/v1/products/CFQ7TTC0LH18/skus',
      '/v1/products?country=USA&targetView=OnlineServices',
    ]) {
      const { status, body } = await get(path);
      assert.equal(status, 400, path);
      assert.equal(body.code, '800002', path);
    }
  });

  it('403 400036 for a targetView the catalog does not have', async () => {
    const { status, body } = await get('/v1/products?country=US&targetView=Consoles');
    assert.equal(status, 403);
    assert.equal(body.code, '400036');
  });

  it('404 400013 / 400018 / 400019 for an unknown product, SKU, availability', async () => {
    const cases: [string, string][] = [
      ['/v1/products/NOPE?country=US', '400013'],
      ['/v1/products/NOPE/skus?country=US', '400013'],
      ['/v1/products/CFQ7TTC0LH18/skus/9999?country=US', '400018'],
      ['/v1/products/CFQ7TTC0LH18/skus/9999/availabilities?country=US', '400018'],
      ['/v1/products/CFQ7TTC0LH18/skus/0001/availabilities/NOPE?country=US', '400019'],
    ];
    for (const [path, code] of cases) {
      const { status, body } = await get(path);
      assert.equal(status, 404, path);
      assert.equal(body.code, code, path);
    }
  });
});
