/** Decides, per request, which fault rule fires: path matching, first-N counting, seeded chance. */

import {
  compilePathPattern,
  matchesPathPattern,
  type PathPattern,
  pathSegments,
} from './path-pattern.js';
import { mulberry32 } from './prng.js';
import {
  COMMERCE_TARGET,
  checkPatternLength,
  checkRuleCount,
  describeRule,
  type FaultRule,
} from './rules.js';

interface ActiveRule {
  /** Its id, unique for the engine's life: never given to another rule. */
  id: number;
  rule: FaultRule;
  /** The compiled path pattern; undefined for the commerce target. */
  pattern: PathPattern | undefined;
  calls: number;
  /** How many of those calls it fired on. */
  fired: number;
}

/** The rules in force and the seeded generator their probabilities draw from. */
export class FaultEngine {
  #rules: ActiveRule[] = [];
  #random: () => number;
  #nextId = 1;

  /**
   * @param seed the PRNG seed; the same seed and call order replay the same faults.
   * @throws FaultRuleError for more than `MAX_FAULT_RULES` rules or a pattern over
   *   `MAX_PATTERN_LENGTH` or with a `**` that is not a whole segment.
   */
  constructor(rules: readonly FaultRule[] = [], seed: number = Date.now()) {
    this.#random = mulberry32(seed);
    this.replace(rules);
  }

  /**
   * Replaces every rule (their first-N counters start over). The limits hold here too, so a
   * rule set built in code cannot make matching slow either; on a throw the rules in force
   * stay.
   */
  replace(rules: readonly FaultRule[]): void {
    checkRuleCount(rules.length);
    this.#rules = this.#activate(rules);
  }

  /**
   * Adds rules after those in force, which keep their counters; returns the new rules' ids.
   * The same limits hold; on a throw nothing is added.
   */
  add(rules: readonly FaultRule[]): number[] {
    checkRuleCount(this.#rules.length + rules.length);
    const added = this.#activate(rules);
    this.#rules = [...this.#rules, ...added];
    return added.map(({ id }) => id);
  }

  /** Removes the rule with this id (the others keep their counters); false when none has it. */
  remove(id: number): boolean {
    const kept = this.#rules.filter((active) => active.id !== id);
    if (kept.length === this.#rules.length) return false;
    this.#rules = kept;
    return true;
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules = [];
  }

  /** The rules in force, each with its id and how many matching calls it has seen and fired on. */
  list(): { id: number; rule: FaultRule; calls: number; fired: number }[] {
    return this.#rules.map(({ id, rule, calls, fired }) => ({ id, rule, calls, fired }));
  }

  /**
   * The rules in force (or those whose id is in `only`) as the control routes show them: each
   * rule's JSON form with its id and counters.
   */
  describe(only?: ReadonlySet<number>): Record<string, unknown>[] {
    return this.list()
      .filter(({ id }) => only === undefined || only.has(id))
      .map(({ id, rule, calls, fired }) => ({ id, ...describeRule(rule), calls, fired }));
  }

  /** Compiles `rules` into active rules with new ids, counters at zero (ids taken only if all compile). */
  #activate(rules: readonly FaultRule[]): ActiveRule[] {
    const compiled = rules.map((rule, index) => {
      if (rule.path === COMMERCE_TARGET) return { rule, pattern: undefined };
      checkPatternLength(rule.path, `rules[${index}]`);
      return { rule, pattern: compilePathPattern(rule.path) };
    });
    return compiled.map(({ rule, pattern }) => ({
      id: this.#nextId++,
      rule,
      pattern,
      calls: 0,
      fired: 0,
    }));
  }

  /** The first rule that fires for this request, if any. */
  match(method: string, path: string): FaultRule | undefined {
    let segments: string[] | undefined;
    for (const active of this.#rules) {
      if (active.pattern === undefined) continue;
      if (active.rule.method !== '*' && active.rule.method !== method) continue;
      segments ??= pathSegments(path);
      if (!matchesPathPattern(active.pattern, segments)) continue;
      if (this.#fires(active)) return active.rule;
    }
    return undefined;
  }

  /** The first commerce rule that fires for this upstream call, if any. */
  matchCommerce(): FaultRule | undefined {
    for (const active of this.#rules) {
      if (active.pattern) continue;
      if (this.#fires(active)) return active.rule;
    }
    return undefined;
  }

  #fires(active: ActiveRule): boolean {
    active.calls++;
    if (active.rule.first !== undefined && active.calls > active.rule.first) return false;
    if (active.rule.probability < 1 && this.#random() >= active.rule.probability) return false;
    active.fired++;
    return true;
  }
}
