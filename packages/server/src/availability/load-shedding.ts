/** 503 under overload: too many requests in flight, or an event loop lagging over a bound. */

import { performance } from 'node:perf_hooks';
import { serviceUnavailable } from '@apifault/contract';

/** Options of {@link loadShedding}. */
export interface LoadSheddingOptions {
  /** The most requests handled at once; the next one gets 503. @default Infinity (no cap) */
  maxInFlight?: number;
  /**
   * The largest event-loop delay tolerated, in milliseconds; over it, new requests get 503
   * until the loop catches up. @default none (the loop is not monitored)
   */
  maxEventLoopDelayMs?: number;
  /** The Retry-After sent with the 503, in seconds. @default 1 */
  retryAfter?: number;
  /** How often the event loop is sampled, in milliseconds. @default 100 */
  sampleIntervalMs?: number;
  /** The 503's description. @default 'The service is overloaded; retry later.' */
  description?: string;
}

/** A load shedder: wrap every request in `enter()` and the returned release. */
export interface LoadShedder {
  /**
   * Admits a request, or throws 503 + Retry-After when a bound is exceeded. Call the
   * returned function once the response is done (extra calls are ignored).
   */
  enter(): () => void;
  /** The requests admitted and not yet released. */
  readonly inFlight: number;
  /** The event-loop delay last observed, in milliseconds (0 when not monitored). */
  readonly eventLoopDelayMs: number;
  /** Stops the event-loop monitor (the in-flight cap keeps working). */
  close(): void;
}

function positive(name: string, value: number | undefined): void {
  if (value !== undefined && !(value > 0))
    throw new RangeError(`${name} must be a positive number.`);
}

/**
 * Makes a load shedder. The event loop is sampled by an `unref`'d interval timer: each tick
 * records how late it fired, and `enter()` also counts a tick that is overdue right now, so
 * a request arriving just after a long block is refused even before the timer has run.
 *
 * @throws RangeError when a bound is not a positive number
 * @example
 * const shedder = loadShedding({ maxInFlight: 200, maxEventLoopDelayMs: 200 });
 * const release = shedder.enter(); // throws 503 when overloaded
 * res.on('close', release);
 */
export function loadShedding(options: LoadSheddingOptions = {}): LoadShedder {
  const {
    maxInFlight = Number.POSITIVE_INFINITY,
    maxEventLoopDelayMs,
    retryAfter = 1,
    sampleIntervalMs = 100,
    description = 'The service is overloaded; retry later.',
  } = options;
  positive('maxInFlight', maxInFlight);
  positive('maxEventLoopDelayMs', maxEventLoopDelayMs);
  positive('retryAfter', retryAfter);
  positive('sampleIntervalMs', sampleIntervalMs);

  let inFlight = 0;
  let lastTick = performance.now();
  let lastDelay = 0;
  let monitor: NodeJS.Timeout | undefined;
  if (maxEventLoopDelayMs !== undefined) {
    monitor = setInterval(() => {
      const now = performance.now();
      lastDelay = Math.max(0, now - lastTick - sampleIntervalMs);
      lastTick = now;
    }, sampleIntervalMs);
    monitor.unref(); // the monitor never keeps the process alive
  }

  const eventLoopDelay = (): number => {
    if (monitor === undefined) return 0;
    const overdue = performance.now() - lastTick - sampleIntervalMs;
    return Math.max(lastDelay, overdue, 0);
  };

  const refuse = () => serviceUnavailable({ description, expose: true, retryAfter });

  return {
    enter() {
      if (inFlight >= maxInFlight) throw refuse();
      if (maxEventLoopDelayMs !== undefined && eventLoopDelay() > maxEventLoopDelayMs) {
        throw refuse();
      }
      inFlight++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inFlight--;
      };
    },
    get inFlight() {
      return inFlight;
    },
    get eventLoopDelayMs() {
      return eventLoopDelay();
    },
    close() {
      clearInterval(monitor);
      monitor = undefined;
    },
  };
}
