/** The contract violations seen in upstream answers: printed as they happen, summed up and written as JUnit on exit. */

import { type AnswerViolation, escapeXml } from '@apifault/conformance';

/** One checked upstream error answer and the rules it broke. */
export interface CheckedAnswer {
  /** When the answer came (ISO 8601). */
  time: string;
  method: string;
  /** The request target: path and query. */
  target: string;
  status: number;
  /** Every rule broken; empty when the answer keeps the contract. */
  violations: AnswerViolation[];
}

/** The most checked answers kept for the JUnit file; later ones are counted only. */
export const MAX_KEPT_ANSWERS = 10_000;

/** One line per violation: `GET /v1/x → 404 [error body-json] The error body is not JSON.` */
export function formatViolation(answer: CheckedAnswer, violation: AnswerViolation): string {
  return `${answer.method} ${answer.target} → ${answer.status} [${violation.severity} ${violation.rule}] ${violation.message}`;
}

/** The checked answers of a run and their counts. */
export class ViolationLog {
  readonly #kept: CheckedAnswer[] = [];
  #checked = 0;
  #errors = 0;
  #warnings = 0;
  readonly #started = Date.now();

  /** Adds a checked answer. */
  add(answer: CheckedAnswer): void {
    this.#checked++;
    for (const violation of answer.violations) {
      if (violation.severity === 'error') this.#errors++;
      else this.#warnings++;
    }
    if (this.#kept.length < MAX_KEPT_ANSWERS) this.#kept.push(answer);
  }

  /** The checked answers kept, in order. */
  answers(): readonly CheckedAnswer[] {
    return this.#kept;
  }

  /** The counts so far. */
  summary(): { checked: number; errors: number; warnings: number } {
    return { checked: this.#checked, errors: this.#errors, warnings: this.#warnings };
  }

  /** `12 upstream error answers checked: 3 errors, 1 warning.` */
  formatSummary(): string {
    const { checked, errors, warnings } = this.summary();
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    return `${plural(checked, 'upstream error answer')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}.`;
  }

  /**
   * The run as JUnit XML: one testcase per checked error answer (`GET /path → 404`), a
   * failure per error violation, warnings in its system-out.
   */
  formatJunit(upstream: string): string {
    const seconds = ((Date.now() - this.#started) / 1000).toFixed(3);
    const failed = this.#kept.filter((a) => a.violations.some((v) => v.severity === 'error'));
    const suite = `tests="${this.#kept.length}" failures="${failed.length}" errors="0" skipped="0" time="${seconds}"`;
    const lines = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="apifault proxy" ${suite}>`,
      `  <testsuite name="${escapeXml(`apifault proxy ${upstream}`)}" ${suite} timestamp="${new Date(this.#started).toISOString().replace(/\.\d+Z$/, '')}">`,
    ];
    for (const answer of this.#kept) {
      const name = escapeXml(`${answer.method} ${answer.target} → ${answer.status}`);
      const open = `    <testcase classname="apifault.proxy" name="${name}">`;
      if (answer.violations.length === 0) {
        lines.push(`${open.slice(0, -1)}/>`);
        continue;
      }
      lines.push(open);
      const warnings: string[] = [];
      for (const violation of answer.violations) {
        if (violation.severity === 'warning') {
          warnings.push(`warning ${violation.rule}: ${violation.message}\nfix: ${violation.fix}`);
          continue;
        }
        lines.push(
          `      <failure type="${escapeXml(violation.rule)}" message="${escapeXml(violation.message)}">${escapeXml(`fix: ${violation.fix}`)}</failure>`,
        );
      }
      if (warnings.length > 0)
        lines.push(`      <system-out>${escapeXml(warnings.join('\n'))}</system-out>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>', '</testsuites>', '');
    return lines.join('\n');
  }
}
