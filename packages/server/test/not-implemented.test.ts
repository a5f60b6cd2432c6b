import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isApiError, validateErrorBody } from '@apifault/contract';
import { notImplementedRoute, unknownMethodError } from '../src/not-implemented/index.js';
import { isStandardMethod } from '../src/routing/index.js';

function assertKnownMethod(method: string): void {
  if (!isStandardMethod(method)) throw unknownMethodError(method);
}

function errorResponse(error: unknown): { status: number; text: string } {
  assert.ok(isApiError(error));
  const body = JSON.stringify(error.toBody({ source: 'test' }));
  return { status: error.status, text: body };
}

describe('not implemented: units', () => {
  it('notImplementedRoute throws a 501 with its description, shown to the caller', () => {
    const handler = notImplementedRoute('Transfers are not available here.');
    assert.throws(
      () => handler({}, {}),
      (error: unknown) => {
        assert.ok(isApiError(error));
        assert.equal(error.status, 501);
        const body = error.toBody();
        assert.equal(body.description, 'Transfers are not available here.');
        assert.deepEqual(validateErrorBody(body), []);
        return true;
      },
    );
    assert.throws(() => notImplementedRoute()(), /not implemented/);
  });

  it('knows the RFC 9110 methods and PATCH, case-sensitively', () => {
    for (const method of [
      'GET',
      'HEAD',
      'POST',
      'PUT',
      'DELETE',
      'CONNECT',
      'OPTIONS',
      'TRACE',
      'PATCH',
    ]) {
      assert.equal(isStandardMethod(method), true, method);
    }
    for (const method of ['BREW', 'PROPFIND', 'MKCOL', 'get', 'Patch', '', 'GET ']) {
      assert.equal(isStandardMethod(method), false, method);
    }
  });

  it('assertKnownMethod throws 501 naming a token method, never echoing junk', () => {
    assert.doesNotThrow(() => assertKnownMethod('PATCH'));
    assert.throws(() => assertKnownMethod('BREW'), /The method BREW is not implemented/);
    const junk = unknownMethodError('X\r\nSet-Cookie: a=b');
    assert.equal(junk.status, 501);
    assert.equal(junk.description, 'The method is not implemented by this service.');
    assert.equal(unknownMethodError('A'.repeat(100)).description?.includes('AAAA'), false);
  });
});

describe('not implemented: on a real node:http server', () => {
  let server: http.Server;
  let port: number;

  before(async () => {
    server = http.createServer((req, res) => {
      try {
        assertKnownMethod(req.method ?? '');
        if (req.url === '/v1/transfers') notImplementedRoute()(req, res);
        res.end('{}');
      } catch (error) {
        const { status, text } = errorResponse(error);
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(text);
      }
    });
    // node:http refuses BREW in its parser: the listener turns that into the 501.
    server.on('clientError', (error, socket) => {
      if ((error as { code?: unknown }).code !== 'HPE_INVALID_METHOD') return socket.destroy();
      const { status, text } = errorResponse(unknownMethodError());
      socket.end(
        `HTTP/1.1 ${status} Not Implemented\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function request(method: string, path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('answers a known method normally', async () => {
    assert.equal((await request('GET', '/v1/customers')).status, 200);
  });

  it('answers 501 to PROPFIND, which node parses but the service does not implement', async () => {
    const { status, body } = await request('PROPFIND', '/v1/customers');
    assert.equal(status, 501);
    assert.deepEqual(validateErrorBody(JSON.parse(body)), []);
    assert.match(JSON.parse(body).description, /PROPFIND/);
  });

  it('answers 501 to a declared route that is not implemented', async () => {
    const { status, body } = await request('POST', '/v1/transfers');
    assert.equal(status, 501);
    assert.equal(JSON.parse(body).code, '501');
  });

  it('answers 501 to BREW, which node refuses in its parser', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write('BREW /pot HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        text += chunk;
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(raw, /^HTTP\/1\.1 501 /);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    assert.deepEqual(validateErrorBody(body), []);
  });
});
