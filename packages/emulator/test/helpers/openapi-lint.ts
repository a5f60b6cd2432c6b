/** Lints an OpenAPI document as users do: Spectral's `spectral:oas` and Redocly's `recommended`. */

import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Document, type RulesetDefinition, Spectral } from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';

/** One problem a linter reports. */
export interface LintProblem {
  tool: 'spectral' | 'redocly';
  rule: string;
  severity: 'error' | 'warn' | 'info';
  /** A JSON pointer-like path into the document. */
  where: string;
  message: string;
}

const SPECTRAL_SEVERITY = ['error', 'warn', 'info', 'info'] as const;

/** Spectral with `extends: spectral:oas` (its recommended rules), as `spectral lint` runs it. */
export async function lintWithSpectral(source: string): Promise<LintProblem[]> {
  const spectral = new Spectral();
  // The ruleset's literal type misses the optional `extends` its own type declares.
  spectral.setRuleset({ extends: [[oas as RulesetDefinition, 'recommended']] });
  const results = await spectral.run(new Document(source, spectralParsers.Json, 'openapi.json'));
  return results.map((r) => ({
    tool: 'spectral',
    rule: String(r.code),
    severity: SPECTRAL_SEVERITY[r.severity] ?? 'info',
    where: `/${r.path.join('/')}`,
    message: r.message,
  }));
}

/** Redocly with `extends: [recommended]`, as `redocly lint` runs it without a config file. */
export async function lintWithRedocly(source: string): Promise<LintProblem[]> {
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
  return problems.map((p) => ({
    tool: 'redocly',
    rule: p.ruleId,
    severity: p.severity === 'error' ? 'error' : 'warn',
    where: p.location[0]?.pointer ?? '',
    message: p.message,
  }));
}
