/** A discrete-event clock: timers fire in order once everything else is idle, time jumps. */

import type { Clock } from '@apifault/client';

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

/**
 * A {@link Clock} whose time only moves when the process is otherwise idle: the earliest
 * timer fires, `now` jumps to its time. Nothing waits on the wall clock.
 */
export class VirtualClock implements Clock {
  #now: number;
  #timers: Timer[] = [];
  #nextId = 1;
  #pumping = false;

  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { id: this.#nextId++, at: this.#now + Math.max(0, ms), callback };
    this.#timers.push(timer);
    this.#schedule();
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }

  /** How many timers are pending. */
  get pending(): number {
    return this.#timers.length;
  }

  #schedule(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    setImmediate(() => {
      this.#pumping = false;
      if (this.#timers.length === 0) return;
      let first = this.#timers[0]!;
      for (const t of this.#timers)
        if (t.at < first.at || (t.at === first.at && t.id < first.id)) first = t;
      this.#timers.splice(this.#timers.indexOf(first), 1);
      this.#now = Math.max(this.#now, first.at);
      first.callback();
      if (this.#timers.length > 0) this.#schedule();
    });
  }
}
