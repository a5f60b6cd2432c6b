/** The clock the client waits with: swappable so tests can drive time by hand. */

/**
 * Time and timers. The default reads the globals on every call, so `node:test`'s
 * `mock.timers` (or any fake-timer library) takes effect without extra wiring.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` after `ms` milliseconds; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a timer made by {@link Clock.setTimeout}. */
  clearTimeout(handle: unknown): void;
}

/** The platform clock: `Date.now`, `setTimeout`, `clearTimeout`, looked up at call time. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
};

/** The longest delay timers accept (2^31 - 1 ms); longer ones would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Waits `ms` on `clock`; rejects at once with `signal.reason` when the signal aborts,
 * before or during the wait.
 */
export function sleep(ms: number, clock: Clock, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(Math.max(0, ms), MAX_TIMER_MS),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
