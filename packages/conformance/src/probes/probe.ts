/** What a probe is, what it gets to work with, and how its answer is judged. */

import { type Exchange, type Outgoing, type SendContext, send } from '../exchange.js';
import { makeFinding } from '../finding.js';
import { checkErrorResponse } from '../response-checks.js';
import { hasParameters, type Route } from '../routes.js';
import type { BurstOptions, ProbeName, ProbeResult } from '../types.js';

/** A route path with its parameters filled in. */
export interface ResolvedPath {
  path: string;
  /** Whether a parameter got the placeholder id (no real one was found). */
  placeholder: boolean;
}

/** What a running probe can use. */
export interface ProbeContext {
  baseUrl: string;
  burst: Required<BurstOptions>;
  send(outgoing: Outgoing): Promise<Exchange>;
  /** Fills a path template with real ids where the collection above lists some. */
  resolvePath(template: string): Promise<ResolvedPath>;
}

/** One planned request of a probe. */
export interface PlannedProbe {
  name: ProbeName;
  /** `METHOD /template`. */
  target: string;
  run(context: ProbeContext): Promise<ProbeResult[]>;
}

/** What a probe's plan step returns: requests to send, or why it cannot run. */
export type ProbePlan = PlannedProbe[] | { skip: string };

/** Plans a probe from the routes and options. */
export type ProbePlanner = (routes: readonly Route[], settings: PlanSettings) => ProbePlan;

/** What planners know besides the routes. */
export interface PlanSettings {
  /** Whether routes come from an OpenAPI document. */
  documented: boolean;
}

/** How an answer's status is judged. */
export interface Expectation {
  name: ProbeName;
  target: string;
  expected: number[];
  /** Why the expected status is due, to end the `expected-status` message. */
  why: string;
  /** The fix of an `expected-status` finding. */
  fix: string;
  /** Request headers worth showing in findings. */
  sentHeaders?: string[];
  /** Whether the request went to a placeholder id (a 404 is then inconclusive). */
  placeholder?: boolean;
  /** Whether this probe is about credentials (a 401/403 is then the point, not an excuse). */
  credentials?: boolean;
}

function statusList(statuses: number[]): string {
  return statuses.length <= 1
    ? String(statuses[0])
    : `${statuses.slice(0, -1).join(', ')} or ${statuses.at(-1)}`;
}

/**
 * Judges one exchange: the contract's checks on any error answer, plus whether the status is
 * the one due. Some other statuses make the probe inconclusive instead of failing (a 401 when
 * the probe is not about credentials, a 404 on a placeholder id): the result gets a `note`.
 */
export function judge(exchange: Exchange, expectation: Expectation, baseUrl: string): ProbeResult {
  const site = { probe: expectation.name, target: expectation.target, baseUrl };
  const findings = checkErrorResponse(exchange, site);
  const result: ProbeResult = {
    name: expectation.name,
    target: expectation.target,
    expected: expectation.expected,
    request: exchange.request,
    response: exchange.response,
    durationMs: exchange.durationMs,
    findings,
    outcome: 'pass',
  };
  const status = exchange.response.status;
  const judged =
    exchange.failure !== undefined ||
    expectation.expected.length === 0 ||
    expectation.expected.includes(status);
  const note = judged ? undefined : inconclusive(status, expectation);
  if (note) {
    result.note = note;
    result.outcome = 'inconclusive';
  } else if (!judged) {
    findings.unshift(
      makeFinding(
        'expected-status',
        `Answers ${status} where ${statusList(expectation.expected)} is due: ${expectation.why}`,
        exchange,
        site,
        { sent: expectation.sentHeaders ?? [], fix: expectation.fix },
      ),
    );
  }
  if (findings.some((finding) => finding.severity === 'error')) result.outcome = 'fail';
  return result;
}

/** Why an unexpected status proves nothing about the probe, if it does not. */
function inconclusive(status: number, expectation: Expectation): string | undefined {
  if (!expectation.credentials && (status === 401 || status === 403)) {
    return `answered ${status}: the credentials sent do not get past authentication (pass a valid token).`;
  }
  if (expectation.placeholder && status === 404) {
    return 'answered 404 for a placeholder id: no real resource was found to probe.';
  }
  if (status === 429 || (status === 503 && expectation.name !== 'burst')) {
    return `answered ${status}: the API is shedding load, so this check could not be judged (run again later).`;
  }
  return undefined;
}

/** Sends with the run's context: see {@link send}. */
export function sender(context: SendContext): (outgoing: Outgoing) => Promise<Exchange> {
  return (outgoing) => send(context, outgoing);
}

/** The first route accepting `method`, preferring paths without parameters. */
export function pickRoute(
  routes: readonly Route[],
  accepts: (route: Route) => string | undefined,
): { route: Route; method: string } | undefined {
  let fallback: { route: Route; method: string } | undefined;
  for (const route of routes) {
    const method = accepts(route);
    if (method === undefined) continue;
    if (!hasParameters(route.template)) return { route, method };
    fallback ??= { route, method };
  }
  return fallback;
}
