/** 503 for maintenance mode, with Retry-After from the maintenance end when it is known. */

import { serviceUnavailable } from '@apifault/contract';

/** Options shared by both ways of switching maintenance on. */
export interface MaintenanceBaseOptions {
  /**
   * Seconds the caller should wait, used when `until` is not set (or has passed).
   * @default none: without `until` or `retryAfter` the wait is unknown and no Retry-After is sent
   */
  retryAfter?: number;
  /** When the maintenance is planned to end: Retry-After counts the whole seconds left. */
  until?: Date | number;
  /** The 503's description. @default 'The service is down for maintenance.' (with the end time when known) */
  description?: string;
  /** The clock, in epoch milliseconds. @default Date.now */
  now?: () => number;
}

/** Options of {@link maintenance}: a fixed `enabled`, or an `isEnabled()` read on every request. */
export type MaintenanceOptions = MaintenanceBaseOptions &
  (
    | { /** Whether maintenance is on. */ enabled: boolean; isEnabled?: never }
    | {
        /** Whether maintenance is on, asked on every check. */ isEnabled: () => boolean;
        enabled?: never;
      }
  );

/** A check to run first on every request: throws 503 while maintenance is on. */
export type MaintenanceCheck = () => void;

/**
 * Makes the maintenance check: while maintenance is on, every call throws 503 with
 * `Retry-After` (the whole seconds until `until`, rounded up, else `retryAfter`).
 *
 * @throws RangeError when `retryAfter` is not a positive number or `until` is not a valid time
 * @example
 * const checkMaintenance = maintenance({ isEnabled: () => flags.maintenance, until: plannedEnd });
 * checkMaintenance(); // in every request, before the handler
 */
export function maintenance(options: MaintenanceOptions): MaintenanceCheck {
  const { retryAfter, description } = options;
  if (retryAfter !== undefined && !(Number.isFinite(retryAfter) && retryAfter > 0)) {
    throw new RangeError('retryAfter must be a positive number of seconds.');
  }
  const until = options.until instanceof Date ? options.until.getTime() : options.until;
  if (until !== undefined && !Number.isFinite(until)) {
    throw new RangeError('until must be a valid Date or epoch milliseconds.');
  }
  const now = options.now ?? Date.now;
  const isEnabled = options.isEnabled ?? (() => options.enabled === true);

  return () => {
    if (!isEnabled()) return;
    const current = now();
    const planned = until !== undefined && until > current;
    // Whole seconds left, rounded up so a caller never comes back before the end.
    const wait = planned ? (until - current) / 1000 : retryAfter;
    throw serviceUnavailable({
      description:
        description ??
        (planned
          ? `The service is down for maintenance until ${new Date(until).toISOString()}.`
          : 'The service is down for maintenance.'),
      expose: true,
      ...(wait === undefined ? {} : { retryAfter: wait }),
    });
  };
}
