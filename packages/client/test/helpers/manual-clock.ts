/** A clock that moves only when the test calls tick(), like node:test's mock.timers. */

import type { Clock } from '@apifault/client';

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

/** A {@link Clock} for tests: timers fire synchronously, in order, inside {@link ManualClock.tick}. */
export class ManualClock implements Clock {
  #now: number;
  #timers: Timer[] = [];
  #nextId = 1;
  /** Every delay passed to setTimeout, in order. */
  readonly scheduled: number[] = [];

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.scheduled.push(ms);
    this.#timers.push({ id, at: this.#now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }

  /** Moves time forward by `ms`, firing every timer that falls due, earliest first. */
  tick(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers
        .filter((t) => t.at <= end)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#timers.splice(this.#timers.indexOf(due), 1);
      this.#now = due.at;
      due.callback();
    }
    this.#now = end;
  }
}
