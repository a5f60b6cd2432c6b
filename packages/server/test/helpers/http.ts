/** A raw HTTP/1.1 client for tests: any method, any header, partial or slow bodies, one connection per request. */

import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** A request a test sends. */
export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** The body, written at once. */
  body?: string | Buffer;
  /** Write `body` but never end the request (the server must time out). */
  hold?: boolean;
}

/** What came back. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
}

/** Sends `req` to `base` (`http://127.0.0.1:port`) on a fresh connection. */
export function send(base: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(req.path, base);
  return new Promise((resolve, reject) => {
    const client = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        // Sent as written: dot segments, `*` and bad percent-encodings are rows of the table.
        path: req.path,
        headers: req.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          client.destroy();
        });
        res.on('error', reject);
      },
    );
    // The server may close while we still write (413, 408): the response still counts.
    client.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    if (req.body !== undefined) client.write(req.body);
    if (!req.hold) client.end();
  });
}
