/** RouteTable: params, wildcards, 405 with the Allow of the methods really registered. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStandardMethod, RouteTable } from '../src/index.js';

function table(): RouteTable<string> {
  const t = new RouteTable<string>();
  t.add('GET', '/v1/customers', 'list');
  t.add('POST', '/v1/customers', 'create');
  t.add('GET', '/v1/customers/:id', 'get');
  t.add('PATCH', '/v1/customers/:customerId', 'patch');
  t.add('GET', '/v1/customers/:id/subscriptions/:sid', 'sub');
  t.add('GET', '/files/*', 'files');
  t.add('DELETE', '/v1/orders/:id?', 'orders');
  return t;
}

test('static and parametrised routes, percent-decoded params', () => {
  const t = table();
  assert.deepEqual(t.match('GET', '/v1/customers'), { kind: 'found', value: 'list', params: {} });
  assert.deepEqual(t.match('GET', '/v1/customers/a%20b'), {
    kind: 'found',
    value: 'get',
    params: { id: 'a b' },
  });
  assert.deepEqual(t.match('PATCH', '/v1/customers/7'), {
    kind: 'found',
    value: 'patch',
    params: { customerId: '7' },
  });
  assert.deepEqual(t.match('GET', '/v1/customers/1/subscriptions/2').kind, 'found');
  assert.deepEqual(t.match('GET', '/files/a/b.txt'), {
    kind: 'found',
    value: 'files',
    params: { '*': 'a/b.txt' },
  });
  assert.equal(t.match('DELETE', '/v1/orders').kind, 'found');
  assert.equal(t.match('GET', '/v1/customers/%E0%A4%A').kind, 'found');
});

test('HEAD falls back to GET', () => {
  assert.equal(table().match('HEAD', '/v1/customers/1').kind, 'found');
});

test('405 lists every method registered on the path, HEAD implied by GET', () => {
  const t = table();
  assert.deepEqual(t.match('DELETE', '/v1/customers/1'), {
    kind: 'method-not-allowed',
    allow: 'GET, HEAD, PATCH',
  });
  assert.deepEqual(t.match('PUT', '/v1/customers'), {
    kind: 'method-not-allowed',
    allow: 'GET, HEAD, POST',
  });
  assert.deepEqual(t.allowedMethods('/v1/orders/9'), ['DELETE']);
});

test('404 for unknown paths, empty segments and trailing extras', () => {
  const t = table();
  for (const path of ['/nope', '/v1/customers/', '/v1/customers/1/extra', '/v1//1', '']) {
    assert.equal(t.match('GET', path).kind, 'not-found', path);
  }
});

test('standard methods', () => {
  assert.equal(isStandardMethod('PATCH'), true);
  assert.equal(isStandardMethod('PROPFIND'), false);
  assert.equal(isStandardMethod('get'), false);
});
