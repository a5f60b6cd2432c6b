/**
 * Completed exchanges as objects, for whoever subscribes (the dashboard's live traffic): the
 * host (the emulator's pipeline, the proxy) records each request's method, path, ids,
 * headers and bodies, and publishes the record once the response is finished or the
 * connection closed. Nothing is recorded while nobody listens, so a host without a
 * subscriber pays one property read per request.
 */

/** The most bytes of a body a record keeps; the rest is counted, not kept. */
export const MAX_RECORDED_BODY = 64 * 1024;

/** A body as recorded: its first bytes, and its whole length. */
export class RecordedBody {
  #text: string | undefined;

  /**
   * @param kept the first {@link MAX_RECORDED_BODY} bytes
   * @param bytes how many bytes the body had
   */
  constructor(
    readonly kept: Uint8Array,
    readonly bytes: number,
  ) {}

  /** Whether `text` is cut short. */
  get truncated(): boolean {
    return this.bytes > this.kept.byteLength;
  }

  /** The kept bytes as UTF-8, decoded when first read: most bodies are never opened. */
  get text(): string {
    this.#text ??= Buffer.from(
      this.kept.buffer,
      this.kept.byteOffset,
      this.kept.byteLength,
    ).toString('utf8');
    return this.#text;
  }
}

/** One request and its response, as the host saw them. */
export interface CompletedExchange {
  /** When the request arrived (ISO 8601). */
  readonly time: string;
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  /** The request target as sent (path and query). */
  readonly target: string;
  /** Whether the request came over TLS. */
  readonly secure: boolean;
  /** The status answered; 0 when the connection closed before the answer was written. */
  readonly status: number;
  readonly durationMs: number;
  readonly requestId: string;
  readonly correlationId: string;
  /** The partner tenant of the bearer token, when the host verified it. */
  readonly partner: string | undefined;
  /** Whether the connection closed before the answer was written. */
  readonly aborted: boolean;
  /** The request headers, lower-case names, as received (secrets included: redact before showing). */
  readonly requestHeaders: Readonly<Record<string, string | string[] | undefined>>;
  /** The request body as the route read it; undefined when none was read. */
  readonly requestBody: RecordedBody | undefined;
  /** The response headers, lower-case names. */
  readonly responseHeaders: Readonly<
    Record<string, string | readonly string[] | number | undefined>
  >;
  /** The response body; undefined when there was none. */
  readonly responseBody: RecordedBody | undefined;
}

/** Receives each completed exchange. */
export type ExchangeListener = (exchange: CompletedExchange) => void;

/**
 * Keeps the first `limit` bytes of a body's chunks and counts them all: the tap a host puts
 * on a request or response body it streams.
 */
export class BodyRecorder {
  readonly #chunks: Buffer[] = [];
  #kept = 0;
  #bytes = 0;

  /** @param limit the most bytes kept @default {@link MAX_RECORDED_BODY} */
  constructor(readonly limit: number = MAX_RECORDED_BODY) {}

  /** How many bytes the body had so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Counts a chunk and keeps what fits under the limit (a listener: bound to this recorder). */
  readonly add = (chunk: Buffer): void => {
    this.#bytes += chunk.length;
    if (this.#kept >= this.limit) return;
    const part =
      chunk.length + this.#kept > this.limit ? chunk.subarray(0, this.limit - this.#kept) : chunk;
    this.#chunks.push(part);
    this.#kept += part.length;
  };

  /** The kept bytes. */
  kept(): Buffer {
    return Buffer.concat(this.#chunks, this.#kept);
  }

  /** The body as a record keeps it (its first {@link MAX_RECORDED_BODY} bytes); undefined when empty. */
  body(): RecordedBody | undefined {
    if (this.#bytes === 0) return undefined;
    const kept = this.kept();
    return new RecordedBody(
      kept.byteLength > MAX_RECORDED_BODY ? kept.subarray(0, MAX_RECORDED_BODY) : kept,
      this.#bytes,
    );
  }
}

/** The most exchanges a feed records whole in one second, by default. */
export const MAX_LISTED_PER_SECOND = 500;

/** Receives the status of each exchange the feed did not record whole (0: no answer). */
export type SkippedListener = (status: number) => void;

/** Options of {@link ExchangeFeed}. */
export interface ExchangeFeedOptions {
  /**
   * The most exchanges recorded whole (headers, bodies) in one second; past it, until the
   * second ends, an exchange is only counted ({@link ExchangeFeed.skip}). A list of more rows
   * a second than this is more than anyone reads, and recording each costs the host.
   * @default 500
   */
  maxListedPerSecond?: number;
}

/**
 * The completed exchanges of one host (an emulator, a proxy), to its subscribers. A host
 * records an exchange only while someone listens ({@link ExchangeFeed.watched}), and whole
 * only while the second's budget lasts ({@link ExchangeFeed.admit}); the others it reports
 * by their status alone ({@link ExchangeFeed.skip}), so the counts stay exact.
 */
export class ExchangeFeed {
  readonly #listeners = new Set<ExchangeListener>();
  readonly #skipped = new Set<SkippedListener>();
  readonly #budget: number;
  #second = 0;
  #admitted = 0;

  constructor(options: ExchangeFeedOptions = {}) {
    this.#budget = options.maxListedPerSecond ?? MAX_LISTED_PER_SECOND;
  }

  /** Whether anyone listens: a host records exchanges only then. */
  get watched(): boolean {
    return this.#listeners.size > 0;
  }

  /**
   * Whether an exchange starting now is recorded whole: true for the first
   * `maxListedPerSecond` of each second. A host that gets false reports the exchange with
   * {@link ExchangeFeed.skip} once it is done.
   */
  admit(): boolean {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#admitted = 0;
    }
    if (this.#admitted >= this.#budget) return false;
    this.#admitted++;
    return true;
  }

  /**
   * Calls `listener` with every exchange published from now on, and `onSkipped` with the
   * status of every one only counted; returns the unsubscribe.
   */
  subscribe(listener: ExchangeListener, onSkipped?: SkippedListener): () => void {
    this.#listeners.add(listener);
    if (onSkipped) this.#skipped.add(onSkipped);
    return () => {
      this.#listeners.delete(listener);
      if (onSkipped) this.#skipped.delete(onSkipped);
    };
  }

  /** Hands a completed exchange to every subscriber. */
  publish(exchange: CompletedExchange): void {
    for (const listener of this.#listeners) listener(exchange);
  }

  /** Reports an exchange not admitted, by its status (0 when it closed without an answer). */
  skip(status: number): void {
    for (const listener of this.#skipped) listener(status);
  }
}
