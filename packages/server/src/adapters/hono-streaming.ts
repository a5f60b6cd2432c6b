/** Hono's streaming helpers, failing as every adapter fails a started response: the connection is cut, never ended cleanly. */

import type { Context } from 'hono';
import {
  stream as honoStream,
  streamSSE as honoStreamSSE,
  streamText as honoStreamText,
  type SSEStreamingApi,
} from 'hono/streaming';
import type { StreamingApi } from 'hono/utils/stream';
import { type AdapterParts, pipelineOf } from '../pipeline/index.js';
import { HonoExchange } from './hono-exchange.js';

// biome-ignore lint/suspicious/noExplicitAny: a helper must fit any application's Env
type AnyContext = Context<any>;

/** Only the pipeline's `fail` is used here. */
const STREAMING: AdapterParts<HonoExchange> = {};

type OnError<S> = (error: Error, stream: S) => Promise<void>;

/**
 * The `onError` every wrapper gives Hono's helper: the application's own first, then the
 * pipeline's answer to an error after the response started (logged with the request's ids,
 * the connection cut), and the stream's writer aborted, so that a runtime without a Node
 * socket ends the body with an error rather than a clean end.
 */
function failing<S extends StreamingApi>(c: AnyContext, onError: OnError<S> | undefined) {
  return async (error: Error, stream: S): Promise<void> => {
    try {
      await onError?.(error, stream);
    } finally {
      const exchange = c.get('apifault') as unknown;
      if (exchange instanceof HonoExchange) {
        pipelineOf(exchange.options, STREAMING).fail(exchange, error);
      }
      await (stream as unknown as { writer: WritableStreamDefaultWriter }).writer
        .abort(error)
        .catch(() => {});
    }
  };
}

/** Hono passes only `Error`s to `onError`: anything else thrown becomes one. */
function throwingErrors<S>(cb: (stream: S) => Promise<void>) {
  return async (stream: S): Promise<void> => {
    try {
      await cb(stream);
    } catch (error) {
      throw error instanceof Error
        ? error
        : new Error('A streaming handler threw a non-Error.', { cause: error });
    }
  };
}

/**
 * Hono's `stream`, whose failure midway cuts the connection: the client sees an incomplete
 * body, never one that looks whole.
 *
 * @example app.get('/v1/export', (c) => stream(c, async (s) => { await s.write('…') }))
 */
export function stream(
  c: AnyContext,
  cb: (stream: StreamingApi) => Promise<void>,
  onError?: OnError<StreamingApi>,
): Response {
  return honoStream(c, throwingErrors(cb), failing(c, onError));
}

/** Hono's `streamText`, failing as {@link stream} does. */
export function streamText(
  c: AnyContext,
  cb: (stream: StreamingApi) => Promise<void>,
  onError?: OnError<StreamingApi>,
): Response {
  return honoStreamText(c, throwingErrors(cb), failing(c, onError));
}

/** Hono's `streamSSE`, failing as {@link stream} does. */
export function streamSSE(
  c: AnyContext,
  cb: (stream: SSEStreamingApi) => Promise<void>,
  onError?: OnError<SSEStreamingApi>,
): Response {
  return honoStreamSSE(c, throwingErrors(cb), failing(c, onError));
}
