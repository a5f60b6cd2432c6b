/** Maintenance mode: while on, every Partner Center route answers 503 with Retry-After. */

import { type ApiError, serviceUnavailable } from '@apifault/contract';
import { SOURCE_FRONT_DOOR } from './errors.js';

/** The maintenance switch, as `GET/PUT /_emulator/maintenance` shows it. */
export interface MaintenanceState {
  /** Whether maintenance mode is on. */
  enabled: boolean;
  /** The `Retry-After` sent, in seconds. @default 30 */
  retryAfter: number;
}

/** The switch and the 503 it causes. */
export class Maintenance {
  state: MaintenanceState = { enabled: false, retryAfter: 30 };

  /**
   * Throws 503 + Retry-After while maintenance is on.
   * TODO(server): delegate to the server's availability mechanism once it is exported.
   */
  check(): void {
    if (this.state.enabled) throw this.error();
  }

  /** The 503 of maintenance mode. */
  error(): ApiError {
    return serviceUnavailable({
      retryAfter: this.state.retryAfter,
      description: 'The service is down for maintenance. Try again after the Retry-After delay.',
      expose: true,
      source: SOURCE_FRONT_DOOR,
    });
  }
}
