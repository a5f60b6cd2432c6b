/** Decides, per request, which fault rule fires: path matching, first-N counting, seeded chance. */

import { mulberry32 } from './prng.js';
import { COMMERCE_TARGET, type FaultRule } from './rules.js';

interface ActiveRule {
  rule: FaultRule;
  matcher: RegExp | undefined;
  calls: number;
}

function compile(pattern: string): RegExp {
  // `**` spans segments, `*` stays inside one; everything else is literal.
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}/?$`);
}

/** The rules in force and the seeded generator their probabilities draw from. */
export class FaultEngine {
  #rules: ActiveRule[] = [];
  #random: () => number;

  /** @param seed the PRNG seed; the same seed and call order replay the same faults. */
  constructor(rules: readonly FaultRule[] = [], seed: number = Date.now()) {
    this.#random = mulberry32(seed);
    this.replace(rules);
  }

  /** Replaces every rule (their first-N counters start over). */
  replace(rules: readonly FaultRule[]): void {
    this.#rules = rules.map((rule) => ({
      rule,
      matcher: rule.path === COMMERCE_TARGET ? undefined : compile(rule.path),
      calls: 0,
    }));
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules = [];
  }

  /** The rules in force, with how many matching calls each has seen. */
  list(): { rule: FaultRule; calls: number }[] {
    return this.#rules.map(({ rule, calls }) => ({ rule, calls }));
  }

  /** The first rule that fires for this request, if any. */
  match(method: string, path: string): FaultRule | undefined {
    for (const active of this.#rules) {
      if (!active.matcher?.test(path)) continue;
      if (active.rule.method !== '*' && active.rule.method !== method) continue;
      if (this.#fires(active)) return active.rule;
    }
    return undefined;
  }

  /** The first commerce rule that fires for this upstream call, if any. */
  matchCommerce(): FaultRule | undefined {
    for (const active of this.#rules) {
      if (active.matcher) continue;
      if (this.#fires(active)) return active.rule;
    }
    return undefined;
  }

  #fires(active: ActiveRule): boolean {
    active.calls++;
    if (active.rule.first !== undefined && active.calls > active.rule.first) return false;
    if (active.rule.probability >= 1) return true;
    return this.#random() < active.rule.probability;
  }
}
