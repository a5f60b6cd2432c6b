/** Maintenance mode: while on, every Partner Center route answers 503 with Retry-After. */

import { isApiError } from '@apifault/contract';
import { recode, SOURCE_FRONT_DOOR } from './errors.js';
import { type MaintenanceCheck, maintenance } from './server-parts.js';

/** The maintenance switch, as `GET/PUT /_emulator/maintenance` shows it. */
export interface MaintenanceState {
  /** Whether maintenance mode is on. */
  enabled: boolean;
  /** The `Retry-After` sent, in seconds. @default 30 */
  retryAfter: number;
}

/** The switch, and the server's availability mechanism that answers 503 while it is on. */
export class Maintenance {
  #state: MaintenanceState = { enabled: false, retryAfter: 30 };
  #check: MaintenanceCheck = maintenance({ enabled: false });

  /** The current state. */
  get state(): MaintenanceState {
    return this.#state;
  }

  /** Turns maintenance on or off. */
  set state(next: MaintenanceState) {
    this.#state = { ...next };
    this.#check = maintenance({ enabled: next.enabled, retryAfter: next.retryAfter });
  }

  /** Throws 503 + Retry-After while maintenance is on. */
  check(): void {
    try {
      this.#check();
    } catch (error) {
      throw isApiError(error) ? recode(error, String(error.status), SOURCE_FRONT_DOOR) : error;
    }
  }
}
