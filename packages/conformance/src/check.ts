/** checkConformance: plans the probes from the routes, sends them one by one and builds the report. */

import { CheckOptionsError } from './check-options-error.js';
import type { SendContext } from './exchange.js';
import { loadOpenApi, routesFromOpenApi } from './openapi.js';
import { createPathResolver } from './path-resolver.js';
import { planMalformedJson, planWrongContentType } from './probes/bad-body.js';
import { planBurst } from './probes/burst.js';
import { planGarbageToken, planNoCredentials } from './probes/credentials.js';
import { planNotAcceptable } from './probes/not-acceptable.js';
import type { PlannedProbe, ProbeContext, ProbePlanner } from './probes/probe.js';
import { sender } from './probes/probe.js';
import { planStaleIfMatch } from './probes/stale-if-match.js';
import { planUnknownPath } from './probes/unknown-path.js';
import { planWrongMethod } from './probes/wrong-method.js';
import { type Route, routesFromPaths } from './routes.js';
import {
  type CheckOptions,
  type Finding,
  isProbeName,
  PROBE_NAMES,
  type ProbeName,
  type ProbeResult,
  type Report,
  type SkippedProbe,
} from './types.js';

const PLANNERS: Record<ProbeName, ProbePlanner> = {
  'unknown-path': planUnknownPath,
  'wrong-method': planWrongMethod,
  'not-acceptable': planNotAcceptable,
  'no-credentials': planNoCredentials,
  'garbage-token': planGarbageToken,
  'malformed-json': planMalformedJson,
  'wrong-content-type': planWrongContentType,
  'stale-if-match': planStaleIfMatch,
  burst: planBurst,
};

/** Default per-request timeout, in ms. */
const DEFAULT_TIMEOUT_MS = 10_000;

function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new CheckOptionsError(`The base URL \`${baseUrl}\` is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CheckOptionsError(`The base URL \`${baseUrl}\` is not http or https.`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function selectProbes(options: CheckOptions): ProbeName[] {
  if (options.probes && options.probes.length > 0) {
    for (const name of options.probes) {
      if (!isProbeName(name)) {
        throw new CheckOptionsError(
          `Unknown probe \`${String(name)}\`; the probes are ${PROBE_NAMES.join(', ')}.`,
        );
      }
    }
    return PROBE_NAMES.filter((name) => options.probes!.includes(name));
  }
  return PROBE_NAMES.filter((name) => name !== 'burst' || Boolean(options.burst));
}

function bounded(value: number | undefined, fallback: number, max: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0
    ? Math.min(Math.floor(value), max)
    : fallback;
}

/**
 * Probes a running API and reports every way its error answers break the contract.
 * Throws {@link TargetUnreachableError} when the target never answers and
 * {@link CheckOptionsError} for unusable options.
 *
 * @example
 * const report = await checkConformance({ baseUrl: 'http://127.0.0.1:3000', paths: ['GET,POST /v1/customers'] });
 * if (report.summary.errors > 0) console.table(report.findings);
 */
export async function checkConformance(options: CheckOptions): Promise<Report> {
  const started = Date.now();
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const selected = selectProbes(options);
  const fetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = bounded(options.timeoutMs, DEFAULT_TIMEOUT_MS, 600_000);
  const token = options.token || undefined;
  let routes: Route[];
  if (options.openapi !== undefined) {
    routes = routesFromOpenApi(await loadOpenApi(options.openapi, fetch, timeoutMs));
  } else {
    routes = routesFromPaths(options.paths ?? [], token !== undefined);
  }
  const settings = { documented: options.openapi !== undefined };
  const planned: PlannedProbe[] = [];
  const skipped: SkippedProbe[] = [];
  for (const name of selected) {
    const plan = PLANNERS[name](routes, settings);
    if ('skip' in plan) skipped.push({ name, reason: plan.skip });
    else planned.push(...plan);
  }
  const sendContext: SendContext = { baseUrl, token, fetch, timeoutMs, reached: false };
  const send = sender(sendContext);
  const burst = typeof options.burst === 'object' ? options.burst : {};
  const context: ProbeContext = {
    baseUrl,
    burst: {
      requests: bounded(burst.requests, 200, 200),
      durationMs: bounded(burst.durationMs, 10_000, 10_000),
      concurrency: bounded(burst.concurrency, 8, 32),
    },
    send,
    resolvePath: createPathResolver(send),
  };
  const probes: ProbeResult[] = [];
  for (const [index, probe] of planned.entries()) {
    probes.push(...(await probe.run(context)));
    options.onProgress?.({
      done: index + 1,
      total: planned.length,
      probe: probe.name,
      target: probe.target,
    });
  }
  const findings: Finding[] = probes.flatMap((probe) => probe.findings);
  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  // The credential probes expect a 401; every other probe sends the token given.
  const authenticating = probes.filter(
    (probe) => probe.name !== 'no-credentials' && probe.name !== 'garbage-token',
  );
  const refused = authenticating.filter(
    (probe) =>
      probe.outcome === 'inconclusive' &&
      (probe.response.status === 401 || probe.response.status === 403),
  );
  // A valid token never gets a 401 (a 403 may be a role it lacks): one 401 proves it wrong.
  const refusedByAuthentication =
    token !== undefined
      ? refused.some((probe) => probe.response.status === 401)
      : refused.length > 0 && refused.length === authenticating.length;
  return {
    target: baseUrl,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    probes,
    findings,
    skipped,
    summary: {
      errors,
      warnings: findings.length - errors,
      probes: probes.length,
      skipped: skipped.length,
      inconclusive: probes.filter((probe) => probe.outcome === 'inconclusive').length,
      refused: refused.length,
      refusedByAuthentication,
    },
  };
}
