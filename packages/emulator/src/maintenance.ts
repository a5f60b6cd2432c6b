/** Maintenance mode: while on, every Partner Center route answers 503 with Retry-After. */

import { type MaintenanceCheck, maintenance } from '@apifault/server';

/** The maintenance switch, as `GET/PUT /_emulator/maintenance` shows it. */
export interface MaintenanceState {
  /** Whether maintenance mode is on. */
  enabled: boolean;
  /** The `Retry-After` sent, in seconds. @default 30 */
  retryAfter: number;
}

/** The switch, read on every request by the server's maintenance mechanism (503 + Retry-After). */
export class Maintenance {
  #state: MaintenanceState = { enabled: false, retryAfter: 30 };
  #check: MaintenanceCheck = this.#checkFor(30);

  /** The current state. */
  get state(): MaintenanceState {
    return this.#state;
  }

  /** Turns maintenance on or off. */
  set state(next: MaintenanceState) {
    if (next.retryAfter !== this.#state.retryAfter) this.#check = this.#checkFor(next.retryAfter);
    this.#state = { ...next };
  }

  /** Throws 503 + Retry-After while maintenance is on. */
  check(): void {
    this.#check();
  }

  #checkFor(retryAfter: number): MaintenanceCheck {
    return maintenance({ isEnabled: () => this.#state.enabled, retryAfter });
  }
}
