/** 504: runs a piece of work under a deadline, aborting it through an AbortSignal when time is up. */

import { gatewayTimeout } from '@apifault/contract';

/** Options of {@link withDeadline}. */
export interface DeadlineOptions {
  /** A signal of the caller (the client went away, say): its abort also aborts the work. */
  signal?: AbortSignal | undefined;
  /** The 504's description. @default 'The request did not complete within {ms} ms.' */
  description?: string;
}

/**
 * Runs `work` with a signal that aborts after `ms` milliseconds. When the deadline passes
 * first, the returned promise rejects with a 504 `ApiError` and the work's signal is aborted
 * with that same error as its `reason`, so the abandoned work (a `fetch`, a database call, a
 * loop that checks `signal.aborted`) stops instead of running on unseen. A late result or
 * failure of the abandoned work is ignored.
 *
 * When `options.signal` aborts first, the work's signal is aborted and the promise rejects
 * with that signal's reason.
 *
 * @throws RangeError when `ms` is not a finite number ≥ 0
 * @example
 * const customer = await withDeadline(2000, (signal) => repository.load(id, { signal }));
 */
export function withDeadline<T>(
  ms: number,
  work: (signal: AbortSignal) => Promise<T> | T,
  options: DeadlineOptions = {},
): Promise<T> {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    return Promise.reject(
      new RangeError('The deadline must be a finite number of milliseconds ≥ 0.'),
    );
  }
  const outer = options.signal;
  if (outer?.aborted) return Promise.reject(outer.reason);

  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    // The first outcome wins and cleans up: the abandoned work's late outcome goes nowhere.
    const cleanup = () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    };
    const succeed = (value: T) => {
      cleanup();
      resolve(value);
    };
    const fail = (reason: unknown) => {
      cleanup();
      reject(reason);
    };
    const onOuterAbort = () => {
      controller.abort(outer?.reason);
      fail(outer?.reason);
    };
    const timer = setTimeout(() => {
      const error = gatewayTimeout({
        description: options.description ?? `The request did not complete within ${ms} ms.`,
        expose: true,
      });
      controller.abort(error);
      fail(error);
    }, ms);
    outer?.addEventListener('abort', onOuterAbort, { once: true });

    Promise.resolve()
      .then(() => work(controller.signal))
      .then(succeed, fail);
  });
}
