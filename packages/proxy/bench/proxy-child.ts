/**
 * A process of the proxy benchmark: `upstream` (a plain node:http JSON API), `apifault` (the
 * proxy, no fault rule) or `fastify-http-proxy` (@fastify/http-proxy, the peer), the last two
 * forwarding to the URL given. Prints `ready <port>` once listening; SIGTERM stops it.
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startProxy } from '@apifault/proxy';
import proxyPlugin from '@fastify/http-proxy';
import Fastify from 'fastify';

const [kind, upstream = ''] = process.argv.slice(2);

const customer = JSON.stringify({
  id: '4f1c2d3e-0000-4000-8000-000000000001',
  companyProfile: { domain: 'contoso.onmicrosoft.com', companyName: 'Contoso' },
  attributes: { objectType: 'Customer' },
});

let port: number;
let stop: () => Promise<unknown>;
if (kind === 'upstream') {
  const server = createServer((req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'ms-requestid': String(req.headers['ms-requestid'] ?? ''),
    });
    res.end(customer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  stop = () => new Promise((resolve) => server.close(resolve));
} else if (kind === 'apifault') {
  const proxy = await startProxy({ upstream, port: 0 });
  port = proxy.port;
  stop = () => proxy.close();
} else if (kind === 'fastify-http-proxy') {
  const app = Fastify({ logger: false });
  await app.register(proxyPlugin, { upstream });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
  stop = () => app.close();
} else {
  throw new Error(`unknown kind ${kind}`);
}
process.stdout.write(`ready ${port}\n`);
process.once('SIGTERM', () => {
  stop().finally(() => process.exit(0));
});
