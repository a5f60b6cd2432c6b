/** Prepares a request body once, so every retry re-sends the same bytes. */

/** A body ready for `fetch`. */
export interface PreparedBody {
  /** What `fetch` sends. */
  init: RequestBody | undefined;
  /** The `Content-Type` to send when the caller set none. */
  contentType: string | undefined;
  /** False for streams: they are consumed by the first attempt and never retried. */
  replayable: boolean;
}

/** What `fetch` accepts as a body. */
export type RequestBody = NonNullable<RequestInit['body']>;

const JSON_TYPE = 'application/json';

/** What no body prepares to: shared, since most requests (every GET) have none. */
const NO_BODY: PreparedBody = Object.freeze({
  init: undefined,
  contentType: undefined,
  replayable: true,
});

function isAsyncIterable(value: object): value is AsyncIterable<unknown> {
  return (
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

/** Wraps an async iterable of strings or bytes in a `ReadableStream` (portable `fetch` input). */
function streamOf(source: AsyncIterable<unknown>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      const chunk = next.value;
      if (typeof chunk === 'string') controller.enqueue(encoder.encode(chunk));
      else if (chunk instanceof Uint8Array) controller.enqueue(chunk);
      else if (ArrayBuffer.isView(chunk))
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      else if (chunk instanceof ArrayBuffer) controller.enqueue(new Uint8Array(chunk));
      else throw new TypeError('A streamed body must yield strings or bytes');
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

/**
 * Turns the caller's `body` into what `fetch` sends: platform body types as they are,
 * streams as streams (not replayable), anything else serialized as JSON once.
 *
 * @throws TypeError when the value cannot be serialized as JSON (a BigInt, a cycle …)
 */
export function prepareBody(body: unknown): PreparedBody {
  if (body === undefined) return NO_BODY;
  if (
    typeof body === 'string' ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof Blob ||
    body instanceof URLSearchParams ||
    body instanceof FormData
  ) {
    return { init: body as RequestBody, contentType: undefined, replayable: true };
  }
  if (body instanceof ReadableStream) {
    return { init: body, contentType: undefined, replayable: false };
  }
  if (typeof body === 'object' && body !== null && isAsyncIterable(body)) {
    return { init: streamOf(body), contentType: undefined, replayable: false };
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch (error) {
    throw new TypeError(`The request body cannot be serialized as JSON: ${String(error)}`, {
      cause: error,
    });
  }
  if (text === undefined) {
    throw new TypeError(`The request body cannot be serialized as JSON (${typeof body})`);
  }
  return { init: text, contentType: JSON_TYPE, replayable: true };
}
