/** Who watches the answer to one request: any number of observers, served by one capture of the response. */

/** The answer to a request as an adapter saw it written. */
export interface ObservedResponse {
  readonly status: number;
  /** Every header of the answer, lower-case names. */
  readonly headers: Readonly<Record<string, string | number | readonly string[] | undefined>>;
  /**
   * The body bytes (at most the observer's `maxBodyBytes`), or `undefined` when the adapter
   * could not see them (a stream).
   */
  readonly body: Uint8Array | undefined;
  /** How many bytes the whole body had: more than `body` holds when it was cut. */
  readonly bodyLength: number;
}

/** Receives the answer once, or `undefined` when it could not be read. */
export type ResponseObserver = (response: ObservedResponse | undefined) => void;

/** How one observer wants the answer. */
export interface ObserveOptions {
  /**
   * The most body bytes this observer is given; the rest is only counted (`bodyLength`).
   * The capture keeps no more than the largest of its observers' bounds.
   * @default Infinity (the whole body)
   * @example { maxBodyBytes: 64 * 1024 }
   */
  readonly maxBodyBytes?: number;
}

/**
 * The observers of one response. An adapter captures the response once, keeping the first
 * {@link ResponseObservers.keep} body bytes, and reports it here; each observer gets it cut to
 * its own bound.
 */
export class ResponseObservers {
  readonly #observers: { listener: ResponseObserver; max: number }[] = [];
  #keep = 0;
  #reported = false;

  /** Adds an observer (before the answer is written: one added later is not called). */
  add(listener: ResponseObserver, options?: ObserveOptions): void {
    const max = Math.max(0, options?.maxBodyBytes ?? Number.POSITIVE_INFINITY);
    this.#observers.push({ listener, max });
    if (max > this.#keep) this.#keep = max;
  }

  /** The most body bytes any observer wants: what the capture keeps. */
  get keep(): number {
    return this.#keep;
  }

  /** Calls every observer once with `response` (the body cut to each one's bound). */
  report(response: ObservedResponse | undefined): void {
    if (this.#reported) return;
    this.#reported = true;
    for (const { listener, max } of this.#observers) {
      const body = response?.body;
      listener(
        body !== undefined && body.byteLength > max
          ? { ...response!, body: body.subarray(0, max) }
          : response,
      );
    }
  }
}
