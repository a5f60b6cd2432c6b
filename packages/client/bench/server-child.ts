/**
 * The benchmark's server, run in a child process so it does not share the client's event
 * loop: a Partner Center-like customer on GET, and a 429 (Retry-After: 1) then 200 on
 * each /throttled/<key>. Prints `ready <port>` once listening.
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const customer = JSON.stringify({
  id: '4f1c2d3e-0000-4000-8000-000000000001',
  companyProfile: {
    tenantId: '4f1c2d3e-0000-4000-8000-000000000001',
    domain: 'contoso.onmicrosoft.com',
    companyName: 'Contoso',
  },
  relationshipToPartner: 'reseller',
  links: { self: { uri: '/customers/4f1c2d3e-0000-4000-8000-000000000001', method: 'GET' } },
  attributes: { objectType: 'Customer' },
});
const throttled = new Set<string>();

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (url.startsWith('/v1/throttled/')) {
    const key = url.slice('/v1/throttled/'.length);
    if (!throttled.has(key)) {
      throttled.add(key);
      const body = JSON.stringify({ code: '429', description: 'Slow down.', source: 'bench' });
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(body);
      return;
    }
  }
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'ms-requestid': String(req.headers['ms-requestid'] ?? ''),
  });
  res.end(customer);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
});
