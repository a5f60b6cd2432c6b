/** What a Node response carried: the answer to a request, seen as it is written, for the idempotency stage. */

import type { ServerResponse } from 'node:http';
import type { ObservedResponse } from '../idempotency/types.js';

type Chunk = string | Uint8Array;

function bytesOf(chunk: unknown, encoding: unknown): Buffer | undefined {
  if (typeof chunk === 'string') {
    return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  }
  return chunk instanceof Uint8Array ? Buffer.from(chunk) : undefined;
}

/**
 * Calls `listener` once with the answer written on `res` (its status, headers and body, when
 * `end` is called): whoever writes the response (the node:http adapter, an Express
 * application), it goes through these calls. A handler that answers after its client went
 * away is still seen: its work is done, and a retry must replay it.
 */
export function observeNodeResponse(
  res: ServerResponse,
  listener: (response: ObservedResponse | undefined) => void,
): void {
  let status: number | undefined;
  let head: Record<string, unknown> | undefined;
  const chunks: Buffer[] = [];
  let reported = false;
  const { writeHead, write, end } = res;

  res.writeHead = function (this: ServerResponse, code: number, ...rest: unknown[]) {
    status = code;
    const given = typeof rest[0] === 'string' ? rest[1] : rest[0];
    if (given !== null && typeof given === 'object' && !Array.isArray(given)) {
      head = given as Record<string, unknown>;
    }
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, code, ...rest);
  } as ServerResponse['writeHead'];

  res.write = function (this: ServerResponse, chunk: Chunk, ...rest: unknown[]) {
    const bytes = bytesOf(chunk, rest[0]);
    if (bytes !== undefined) chunks.push(bytes);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];

  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    const bytes = typeof chunk === 'function' ? undefined : bytesOf(chunk, rest[0]);
    if (bytes !== undefined) chunks.push(bytes);
    if (!reported) {
      reported = true;
      const headers: Record<string, string | number | string[] | undefined> = {
        ...res.getHeaders(),
      };
      for (const name in head) headers[name.toLowerCase()] = head[name] as string;
      listener({ status: status ?? res.statusCode, headers, body: Buffer.concat(chunks) });
    }
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
}
