/** What a Node response carried: the answer to a request, seen as it is written, for its observers. */

import type { ServerResponse } from 'node:http';
import type { ResponseObservers } from '../pipeline/response-observers.js';

type Chunk = string | Uint8Array;

/**
 * Reports the answer written on `res` to `observers` once, when `end` is called (its status,
 * headers and the first `observers.keep` body bytes, and the body's whole length): whoever
 * writes the response (the node:http adapter, an Express application), it goes through
 * these calls. A handler that answers after its client went away is still seen: its work is
 * done, and a retry must replay it. Called once per response, however many observers.
 */
export function observeNodeResponse(res: ServerResponse, observers: ResponseObservers): void {
  let status: number | undefined;
  let head: Record<string, unknown> | undefined;
  const chunks: Buffer[] = [];
  let kept = 0;
  let length = 0;
  let reported = false;
  const { writeHead, write, end } = res;

  /** Counts a chunk and keeps (a copy of) what fits under the observers' bound. */
  const capture = (chunk: unknown, encoding: unknown): void => {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) return;
    const room = observers.keep - kept;
    if (room <= 0) {
      length +=
        typeof chunk === 'string'
          ? Buffer.byteLength(
              chunk,
              typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
            )
          : chunk.byteLength;
      return;
    }
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.from(chunk.byteLength > room ? chunk.subarray(0, room) : chunk);
    length += typeof chunk === 'string' ? bytes.length : chunk.byteLength;
    const part = bytes.length > room ? bytes.subarray(0, room) : bytes;
    chunks.push(part);
    kept += part.length;
  };

  res.writeHead = function (this: ServerResponse, code: number, ...rest: unknown[]) {
    status = code;
    const given = typeof rest[0] === 'string' ? rest[1] : rest[0];
    if (given !== null && typeof given === 'object' && !Array.isArray(given)) {
      head = given as Record<string, unknown>;
    }
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, code, ...rest);
  } as ServerResponse['writeHead'];

  res.write = function (this: ServerResponse, chunk: Chunk, ...rest: unknown[]) {
    capture(chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];

  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (!reported) {
      reported = true;
      if (typeof chunk !== 'function') capture(chunk, rest[0]);
      const headers: Record<string, string | number | string[] | undefined> = {
        ...res.getHeaders(),
      };
      for (const name in head) headers[name.toLowerCase()] = head[name] as string;
      observers.report({
        status: status ?? res.statusCode,
        headers,
        body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, kept),
        bodyLength: length,
      });
    }
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
}
