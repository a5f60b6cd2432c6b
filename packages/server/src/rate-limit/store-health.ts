/**
 * Tracks whether the store is reachable, so an outage is logged once when it starts and once
 * when it ends, however many requests run into it in between.
 */

import type { RateLimitLogger } from './types.js';

/** Outage bookkeeping shared by every request of one limiter. */
export class StoreHealth {
  #down = false;
  // Bumped on every change of state. A request remembers the epoch it started in, so a
  // command sent before an outage and answered late cannot end it, and a command that
  // failed before the recovery cannot start a new one: no log flapping at the edges.
  #epoch = 0;
  #affected = 0;
  #since = 0;
  readonly #logger: RateLimitLogger | undefined;
  readonly #fields: Record<string, unknown>;
  readonly #subject: string;

  /** @param subject what the log lines name @default 'rate-limit store' */
  constructor(
    logger: RateLimitLogger | undefined,
    fields: Record<string, unknown>,
    subject = 'rate-limit store',
  ) {
    this.#logger = logger;
    this.#fields = fields;
    this.#subject = subject;
  }

  /** The epoch a request starts in. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Whether an outage is in progress. */
  get down(): boolean {
    return this.#down;
  }

  /** Records a store failure seen by a request started in `epoch`. */
  failed(epoch: number, error: unknown): void {
    if (this.#down) {
      this.#affected++;
      return;
    }
    if (epoch !== this.#epoch) return;
    this.#down = true;
    this.#epoch++;
    this.#since = Date.now();
    this.#affected = 1;
    this.#logger?.warn(
      { ...this.#fields, err: error instanceof Error ? error.message : String(error) },
      `${this.#subject} unreachable`,
    );
  }

  /** Records a store success seen by a request started in `epoch`. */
  succeeded(epoch: number): void {
    if (!this.#down || epoch !== this.#epoch) return;
    this.#down = false;
    this.#epoch++;
    this.#logger?.info(
      { ...this.#fields, outageMs: Date.now() - this.#since, affectedRequests: this.#affected },
      `${this.#subject} reachable again`,
    );
  }
}
