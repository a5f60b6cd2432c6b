/** A node:http server answering each request as a test script says, for checking single rules. */

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningApp } from './default-apps.js';

/** What the script sees of a request. */
export interface ScriptRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

/** What the script answers. */
export interface ScriptResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Starts a server answering every request with `script(request)`. */
export async function startScriptedServer(
  script: (request: ScriptRequest) => ScriptResponse,
): Promise<RunningApp & { requests: ScriptRequest[] }> {
  const requests: ScriptRequest[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const request = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers };
      requests.push(request);
      const answer = script(request);
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A contract-shaped JSON answer with echoed ids, to vary one thing at a time. */
export function contractAnswer(
  request: ScriptRequest,
  status: number,
  extra: Record<string, string> = {},
  body: unknown = { code: String(status), description: 'Something went wrong.', source: 'script' },
): ScriptResponse {
  return {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'MS-RequestId': String(request.headers['ms-requestid'] ?? ''),
      'MS-CorrelationId': String(request.headers['ms-correlationid'] ?? ''),
      ...extra,
    },
    body: JSON.stringify(body),
  };
}
