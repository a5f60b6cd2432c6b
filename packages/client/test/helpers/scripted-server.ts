/** A node:http server on 127.0.0.1 that answers each request with the next step of a script. */

import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One scripted answer: writes (or withholds) the response. */
export type Step = (res: ServerResponse, req: SeenRequest) => void;

/** A running scripted server. */
export interface ScriptedServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request received so far, in order. */
  requests: SeenRequest[];
  /** Resolves once `count` requests have arrived (and their step has run). */
  waitForRequests(count: number): Promise<void>;
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}

/** Answers `status` with `body` (a string, or JSON for anything else) and `headers`. */
export function reply(status: number, body?: unknown, headers: Record<string, string> = {}): Step {
  return (res) => {
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    const all: Record<string, string> = { ...headers };
    if (body !== undefined && typeof body !== 'string' && !hasHeader(all, 'content-type')) {
      all['content-type'] = 'application/json; charset=utf-8';
    }
    res.writeHead(status, all);
    res.end(text);
  };
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** Never answers: the socket stays open until the client gives up. */
export function hang(): Step {
  return () => {};
}

/** Announces `declared` bytes, sends part of them, then destroys the socket. */
export function cutOff(status: number, declared: number, sent: string): Step {
  return (res) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(declared),
    });
    res.write(sent, () => {
      // Let the bytes leave before the reset so the client sees a truncated body.
      setImmediate(() => res.socket?.destroy());
    });
  };
}

/**
 * Starts a server that answers request n with `script[n]` (or `script(request, n)`). A
 * request past the end of a list gets a 599 so tests notice extra attempts.
 */
export async function scriptedServer(
  script: readonly Step[] | ((req: SeenRequest, index: number) => Step),
): Promise<ScriptedServer> {
  const requests: SeenRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const index = requests.length;
      requests.push(seen);
      const step =
        typeof script === 'function'
          ? script(seen, index)
          : (script[index] ?? reply(599, { code: 'script-exhausted' }));
      step(res, seen);
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    waitForRequests(count) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
