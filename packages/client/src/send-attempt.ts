/** Sends one attempt: fetch, the afterResponse hooks, the body, under the attempt's timeout. */

import type { RequestBody } from './body.js';
import { type Clock, MAX_TIMER_MS } from './clock.js';
import type { FailedRequest } from './errors/failed-request.js';
import { NetworkError } from './errors/NetworkError.js';
import { TimeoutError } from './errors/TimeoutError.js';
import type { AfterResponseHook, AttemptContext } from './options.js';

/** Everything one attempt needs. */
export interface AttemptInput {
  fetch: typeof globalThis.fetch;
  clock: Clock;
  method: string;
  url: URL;
  headers: Record<string, string> | Headers;
  /** What hooks see; undefined when there are no hooks. */
  context: AttemptContext | undefined;
  body: RequestBody | undefined;
  /** True for streamed bodies, which `fetch` needs `duplex: 'half'` for. */
  streaming: boolean;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  afterResponse: readonly AfterResponseHook[];
  /** Describes the request for an error (called only when one is thrown). */
  describe: () => FailedRequest;
}

/** A response whose body has been read in full. */
export interface AttemptResult {
  response: Response;
  text: string;
}

/**
 * Runs one attempt. Rejects with the caller's `signal.reason` when it aborts, a
 * {@link TimeoutError} when the timeout fires, a {@link NetworkError} when `fetch` or the
 * body read fails; errors thrown by hooks propagate as they are.
 */
export async function sendAttempt(input: AttemptInput): Promise<AttemptResult> {
  const { signal, clock, context } = input;
  signal?.throwIfAborted();
  // Without a timeout the caller's signal (if any) goes to fetch as it is: on Node 20 every
  // signal fetch listens to costs tens of µs, so no wrapper is made when none is needed.
  const controller = Number.isFinite(input.timeoutMs) ? new AbortController() : undefined;
  let timedOut = false;
  const onAbort = (): void => controller?.abort(signal?.reason);
  if (controller) signal?.addEventListener('abort', onAbort, { once: true });
  const timer = controller
    ? clock.setTimeout(
        () => {
          timedOut = true;
          controller.abort();
        },
        Math.min(Math.max(0, input.timeoutMs), MAX_TIMER_MS),
      )
    : undefined;
  const fail = (error: unknown, status?: number): unknown => {
    if (signal?.aborted) return signal.reason;
    if (timedOut) return new TimeoutError(input.timeoutMs, input.describe());
    return new NetworkError(error, input.describe(), status);
  };
  try {
    const init: RequestInit & { duplex?: 'half' } = {
      method: input.method,
      headers: input.headers,
    };
    const attemptSignal = controller?.signal ?? signal;
    if (attemptSignal) init.signal = attemptSignal;
    if (input.body !== undefined) init.body = input.body;
    if (input.streaming) init.duplex = 'half';
    let response: Response;
    try {
      response = await input.fetch(input.url.href, init);
    } catch (error) {
      throw fail(error);
    }
    if (context) {
      for (const hook of input.afterResponse) {
        await hook(context, { status: response.status, headers: response.headers });
      }
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw fail(error, response.status);
    }
    return { response, text };
  } finally {
    if (controller) {
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
