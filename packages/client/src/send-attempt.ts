/** Sends one attempt: fetch, the afterResponse hooks, the body, under the attempt's timeout. */

import type { RequestBody } from './body.js';
import { type Clock, MAX_TIMER_MS } from './clock.js';
import { type FailedRequest, redactHeaders } from './errors/failed-request.js';
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
  /** The `MS-RequestId` sent, for errors. */
  requestId: string;
  /** The `MS-CorrelationId` sent, for errors. */
  correlationId: string;
  /** This attempt's number, from 1, for errors. */
  attempt: number;
}

/** The request an attempt's error belongs to (built only when one is thrown). */
export function describeAttempt(input: AttemptInput): FailedRequest {
  return {
    method: input.method,
    url: input.url.href,
    requestId: input.requestId,
    correlationId: input.correlationId,
    headers: redactHeaders(input.headers),
    attempts: input.attempt,
  };
}

/** The error an attempt fails with, by what stopped it. */
function failure(
  input: AttemptInput,
  controller: AbortController | undefined,
  error: unknown,
  status?: number,
): unknown {
  const { signal } = input;
  if (signal?.aborted) return signal.reason;
  // Only the caller's signal and the timer abort the controller; the caller's was ruled out.
  if (controller?.signal.aborted) return new TimeoutError(input.timeoutMs, describeAttempt(input));
  return new NetworkError(error, describeAttempt(input), status);
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
  // The timeout is one controller and one timer, cleared when the attempt ends.
  const controller = Number.isFinite(input.timeoutMs) ? new AbortController() : undefined;
  let onAbort: (() => void) | undefined;
  let timer: unknown;
  const init: RequestInit & { duplex?: 'half' } = {
    method: input.method,
    headers: input.headers,
  };
  if (controller) {
    if (signal) {
      onAbort = () => controller.abort(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    timer = clock.setTimeout(
      () => controller.abort(),
      Math.min(Math.max(0, input.timeoutMs), MAX_TIMER_MS),
    );
    init.signal = controller.signal;
  } else if (signal) {
    init.signal = signal;
  }
  if (input.body !== undefined) init.body = input.body;
  if (input.streaming) init.duplex = 'half';
  try {
    let response: Response;
    try {
      response = await input.fetch(input.url.href, init);
    } catch (error) {
      throw failure(input, controller, error);
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
      throw failure(input, controller, error, response.status);
    }
    return { response, text };
  } finally {
    if (controller) {
      clock.clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }
}
