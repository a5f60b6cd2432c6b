/**
 * Reads the host's Server-Sent Events stream with fetch (an EventSource cannot send the
 * control token), parses its events and reconnects after a break.
 */

import { control } from './api.js';

/** One event of the stream. */
export interface StreamEvent {
  event: string;
  data: string;
}

const RETRY_MS = 2000;

function parse(block: string): StreamEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length === 0 ? undefined : { event, data: data.join('\n') };
}

/** Streams `path` to `onEvent` for as long as the page lives; `onState` follows the connection. */
export async function follow(
  path: string,
  onEvent: (event: StreamEvent) => void,
  onState: (connected: boolean) => void,
): Promise<never> {
  for (;;) {
    try {
      const res = await control(path, { headers: { accept: 'text/event-stream' } });
      onState(true);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const event = parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event !== undefined) onEvent(event);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // the host went away or refused: try again shortly
    }
    onState(false);
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}
