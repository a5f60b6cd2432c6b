/** Reads a JSON body from a Node `IncomingMessage`: size limit without buffering the rest, receive timeout. */

import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { badRequest } from '@apifault/contract';
import type { HeadersRecord } from '../request-ids/index.js';
import { bodyTimeout, payloadTooLarge } from './errors.js';
import { decodeUtf8, parseJsonBody, planBodyRead } from './parse.js';
import type { ReadBodyOptions } from './types.js';

const pending = new WeakMap<Readable, Promise<unknown>>();

/**
 * Whether a request declares a body: a `Transfer-Encoding`, or a `Content-Length` other than
 * 0. What the node:http adapter, the emulator's recording and the proxy ask before they
 * touch a body.
 */
export function declaresBody(headers: IncomingMessage['headers']): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Reads and parses the JSON body of `req` (once: later calls share the result). Throws the
 * contract's 400 (not JSON, malformed, wrong Content-Type), 413 (over `limit`: reading stops
 * at once, the response must close the connection) or 408 (not received within
 * `timeoutMs`). A request without body nor Content-Type yields `undefined`.
 */
export function readJsonBody(
  req: IncomingMessage,
  options: ReadBodyOptions = {},
): Promise<unknown> {
  return readJsonStream(req, req.headers, options);
}

/**
 * {@link readJsonBody} for any byte stream whose request headers are known (a Fastify
 * content-type parser's payload, a decompressed stream).
 */
export function readJsonStream(
  stream: Readable,
  headers: HeadersRecord,
  options: ReadBodyOptions = {},
): Promise<unknown> {
  let promise = pending.get(stream);
  if (!promise) {
    promise = read(stream, headers, options.limit ?? 1024 * 1024, options.timeoutMs ?? 10_000);
    pending.set(stream, promise);
  }
  return promise;
}

function read(
  req: Readable,
  headers: HeadersRecord,
  limit: number,
  timeoutMs: number,
): Promise<unknown> {
  let plan: 'none' | 'read';
  try {
    plan = planBodyRead(
      {
        contentType: header(headers['content-type']),
        contentLength: header(headers['content-length']),
        transferEncoding: header(headers['transfer-encoding']),
      },
      limit,
    );
  } catch (error) {
    return Promise.reject(error);
  }
  if (plan === 'none') return Promise.resolve(undefined);
  const kept = buffered.get(req);
  if (kept === undefined && req.readableEnded) {
    return Promise.reject(badRequest('The request body was already read.'));
  }
  return (kept ?? readBytes(req, limit, timeoutMs)).then((bytes) =>
    parseJsonBody(decodeUtf8(bytes)),
  );
}

const buffered = new WeakMap<Readable, Promise<Buffer>>();

/**
 * Reads the whole body of `req` as bytes (413 over `limit`, 408 after `timeoutMs`) and keeps
 * them: the JSON readers given `req` later parse these bytes instead of the spent stream.
 */
export function bufferBody(req: Readable, limit: number, timeoutMs: number): Promise<Buffer> {
  let bytes = buffered.get(req);
  if (bytes === undefined) {
    bytes = req.readableEnded ? Promise.resolve(Buffer.alloc(0)) : readBytes(req, limit, timeoutMs);
    buffered.set(req, bytes);
  }
  return bytes;
}

/** The body's bytes: 413 over `limit` (reading stops), 408 after `timeoutMs`, 400 when cut. */
function readBytes(req: Readable, limit: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => finish(bodyTimeout(timeoutMs)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) finish(payloadTooLarge(limit));
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish();
    const onClose = (): void => finish(badRequest('The request body was cut short.'));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onClose);
    req.once('close', onClose);

    function finish(error?: unknown): void {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onClose);
      req.off('close', onClose);
      if (error !== undefined) {
        // Stop pulling bytes off the wire: the response closes the connection.
        req.pause();
        chunks.length = 0;
        reject(error);
        return;
      }
      resolve(Buffer.concat(chunks, size));
    }
  });
}
