/**
 * The dashboard's live traffic: while a page is open it subscribes to the host's exchange feed,
 * keeps the last {@link KEPT_EXCHANGES} exchanges for their details, streams a summary of
 * each to every page, and once a second the count of the second just ended by status
 * class, with a heartbeat comment every 15 s.
 */

import type { ServerResponse } from 'node:http';
import { EventStream } from './event-stream.js';
import { describeExchange, type ExchangeDetails, summarize } from './exchange-details.js';
import type { CompletedExchange, ExchangeFeed } from './exchange-feed.js';

/** How many recent exchanges the dashboard can still open. */
export const KEPT_EXCHANGES = 500;

const HEARTBEAT_SECONDS = 15;

/** The status classes counted per second; `aborted`: closed before an answer. */
const CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

type Counts = Record<(typeof CLASSES)[number] | 'aborted', number>;

/** The requests of one second by status class (`event: stats`). */
export interface SecondCounts {
  /** When the second ended (ms since the epoch). */
  time: number;
  /** Every exchange of the second by status class, listed or not. */
  counts: Counts;
  /** How many of them were counted only, not listed: past the feed's budget for a second. */
  unlisted: number;
}

function emptyCounts(): Counts {
  return { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, aborted: 0 };
}

/** The live traffic of one host (an emulator, a proxy), to its open dashboards. */
export class Traffic {
  readonly #feed: ExchangeFeed;
  readonly #streams = new Set<EventStream>();
  /** The last exchanges, by sequence number (oldest first: a Map keeps insertion order). */
  readonly #kept = new Map<number, CompletedExchange>();
  #seq = 0;
  #counts = emptyCounts();
  #unlisted = 0;
  #unsubscribe: (() => void) | undefined;
  #ticker: NodeJS.Timeout | undefined;
  #ticks = 0;

  constructor(feed: ExchangeFeed) {
    this.#feed = feed;
  }

  /** How many pages are streaming. */
  get streams(): number {
    return this.#streams.size;
  }

  /** Streams the traffic on `res` until the page goes away or {@link Traffic.close}. */
  open(res: ServerResponse, head: Record<string, string>): void {
    const stream = new EventStream(res, head, () => this.#detach(stream));
    this.#streams.add(stream);
    this.#unsubscribe ??= this.#feed.subscribe(
      (exchange) => this.#publish(exchange),
      (status) => {
        this.#count(status);
        this.#unlisted++;
      },
    );
    this.#ticker ??= setInterval(() => this.#tick(), 1000).unref();
  }

  /** A kept exchange, redacted, or undefined once it has left the window. */
  details(seq: number): ExchangeDetails | undefined {
    const exchange = this.#kept.get(seq);
    return exchange === undefined ? undefined : describeExchange(seq, exchange);
  }

  /** Ends every stream and forgets the kept exchanges (the host is closing). */
  close(): void {
    for (const stream of [...this.#streams]) stream.end();
    this.#stop();
  }

  #publish(exchange: CompletedExchange): void {
    const seq = ++this.#seq;
    this.#kept.set(seq, exchange);
    if (this.#kept.size > KEPT_EXCHANGES) this.#kept.delete(seq - KEPT_EXCHANGES);
    this.#count(exchange.status);
    const data = JSON.stringify(summarize(seq, exchange));
    for (const stream of this.#streams) stream.send('exchange', data);
  }

  #count(status: number): void {
    if (status === 0) this.#counts.aborted++;
    else {
      const name = CLASSES[Math.floor(status / 100) - 1];
      if (name !== undefined) this.#counts[name]++;
    }
  }

  #tick(): void {
    const second: SecondCounts = {
      time: Date.now(),
      counts: this.#counts,
      unlisted: this.#unlisted,
    };
    const data = JSON.stringify(second);
    this.#counts = emptyCounts();
    this.#unlisted = 0;
    const heartbeat = ++this.#ticks % HEARTBEAT_SECONDS === 0;
    for (const stream of this.#streams) {
      stream.send('stats', data);
      if (heartbeat) stream.comment('heartbeat');
    }
  }

  #detach(stream: EventStream): void {
    this.#streams.delete(stream);
    if (this.#streams.size === 0) this.#stop();
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#ticker !== undefined) clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.#kept.clear();
  }
}
