/** Reads a JSON body from a Fetch `Request` (any runtime): size limit, receive timeout. */

import { badRequest } from '@apifault/contract';
import { bodyTimeout, payloadTooLarge } from './errors.js';
import { decodeUtf8, parseJsonBody, planBodyRead } from './parse.js';
import type { ReadBodyOptions } from './types.js';

/**
 * Reads and parses the JSON body of a Fetch `Request`, with the same answers as the Node
 * reader: 400 (not JSON, malformed, wrong Content-Type), 413 (over `limit`, the stream is
 * cancelled) and 408 (not received within `timeoutMs`).
 */
export async function readJsonRequest(
  request: Request,
  options: ReadBodyOptions = {},
): Promise<unknown> {
  const limit = options.limit ?? 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const h = request.headers;
  const plan = planBodyRead(
    {
      contentType: h.get('content-type') ?? undefined,
      contentLength: h.get('content-length') ?? undefined,
      transferEncoding: h.get('transfer-encoding') ?? undefined,
    },
    limit,
  );
  const kept = buffered.get(request);
  if (kept !== undefined) {
    if (plan === 'none') return undefined;
    return parseJsonBody(decodeUtf8(await kept));
  }
  if (plan === 'none' || request.body === null) {
    if (plan === 'read') return parseJsonBody('');
    return undefined;
  }
  if (request.bodyUsed) throw badRequest('The request body was already read.');
  return parseJsonBody(decodeUtf8(await readBytes(request.body, limit, timeoutMs)));
}

const buffered = new WeakMap<Request, Promise<Uint8Array>>();

/**
 * Reads the whole body of `request` as bytes (413 over `limit`, 408 after `timeoutMs`) and
 * keeps them: {@link readJsonRequest} given `request` later parses these bytes.
 */
export function bufferRequestBody(
  request: Request,
  limit: number,
  timeoutMs: number,
): Promise<Uint8Array> {
  let bytes = buffered.get(request);
  if (bytes === undefined) {
    bytes =
      request.body === null || request.bodyUsed
        ? Promise.resolve(new Uint8Array(0))
        : readBytes(request.body, limit, timeoutMs);
    buffered.set(request, bytes);
  }
  return bytes;
}

async function readBytes(
  body: ReadableStream<Uint8Array>,
  limit: number,
  timeoutMs: number,
): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(bodyTimeout(timeoutMs)), timeoutMs);
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), timeout]);
      if (done) break;
      size += value.byteLength;
      if (size > limit) throw payloadTooLarge(limit);
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
