/**
 * One Server-Sent Events client: events are queued and written in batches; a client that
 * reads slower than events come (the socket's buffer full) gets no more than
 * {@link MAX_QUEUED_EVENTS} queued for it, the rest dropped and counted, and is told how
 * many it missed once it catches up. A slow page never grows the host's memory nor
 * holds up a request.
 */

import type { ServerResponse } from 'node:http';

/** The most events waiting for one client; later ones are dropped until it drains. */
export const MAX_QUEUED_EVENTS = 1000;

/** How long events gather before they are written together, in ms. */
const BATCH_MS = 50;

/** One `text/event-stream` response. */
export class EventStream {
  readonly #res: ServerResponse;
  #queue: string[] = [];
  #dropped = 0;
  #waitingForDrain = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /** Writes the stream's head on `res`; `onClose` runs once when the client goes away or `end()` is called. */
  constructor(res: ServerResponse, head: Record<string, string>, onClose: () => void) {
    this.#res = res;
    res.writeHead(200, {
      ...head,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    // The page reconnects 2 s after the stream breaks.
    res.write('retry: 2000\n\n');
    res.once('close', () => {
      this.#close();
      onClose();
    });
  }

  /** Events dropped so far and not yet reported to the client. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues an event; dropped (and counted) when the client has {@link MAX_QUEUED_EVENTS} waiting. */
  send(event: string, data: string): void {
    if (this.#closed) return;
    if (this.#queue.length >= MAX_QUEUED_EVENTS) {
      this.#dropped++;
      return;
    }
    this.#queue.push(`event: ${event}\ndata: ${data}\n\n`);
    this.#schedule();
  }

  /** Writes a comment line (a heartbeat that keeps proxies and the page's watchdog content). */
  comment(text: string): void {
    if (this.#closed || this.#waitingForDrain) return;
    this.#res.write(`: ${text}\n\n`);
  }

  /** Ends the stream (the host is closing). */
  end(): void {
    if (this.#closed) return;
    this.#flush();
    this.#close();
    this.#res.end();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#waitingForDrain) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, BATCH_MS);
  }

  #flush(): void {
    if (this.#closed || this.#waitingForDrain) return;
    if (this.#dropped > 0) {
      this.#queue.push(`event: dropped\ndata: {"count":${this.#dropped}}\n\n`);
      this.#dropped = 0;
    }
    if (this.#queue.length === 0) return;
    const chunk = this.#queue.join('');
    this.#queue = [];
    if (!this.#res.write(chunk)) {
      this.#waitingForDrain = true;
      this.#res.once('drain', () => {
        this.#waitingForDrain = false;
        this.#flush();
      });
    }
  }

  #close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue = [];
  }
}
