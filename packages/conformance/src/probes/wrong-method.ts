/**
 * Probe `wrong-method`: a method a path does not accept must answer 405 with an `Allow` that
 * lists what the path does accept.
 */

import type { Exchange } from '../exchange.js';
import { type FindingSite, makeFinding } from '../finding.js';
import type { Route } from '../routes.js';
import type { ProbeResult } from '../types.js';
import { judge, type PlannedProbe, type ProbeContext, type ProbePlanner } from './probe.js';

/** The methods tried, least harmful first should a route accept one after all. */
const CANDIDATES = ['PATCH', 'PUT', 'POST', 'DELETE', 'GET'] as const;

/** The most paths probed, so a large document stays a bounded run. */
export const MAX_WRONG_METHOD_ROUTES = 50;

const IMPLIED = new Set(['HEAD', 'OPTIONS']);

function parseAllow(value: string): Set<string> {
  return new Set(
    value
      .split(',')
      .map((method) => method.trim().toUpperCase())
      .filter(Boolean),
  );
}

async function checkAllow(
  context: ProbeContext,
  route: Route,
  method: string,
  path: string,
  result: ProbeResult,
  site: FindingSite,
  exchange: Exchange,
): Promise<ProbeResult[]> {
  const header = result.response.headers['allow'];
  if (result.response.status !== 405 || header === undefined) return [];
  const allowed = parseAllow(header);
  const accepted = new Set(route.operations.keys());
  const focus = { received: ['Allow'] };
  if (allowed.has(method)) {
    result.findings.push(
      makeFinding(
        'allow-mismatch',
        `Allow lists ${method}, the very method just refused with 405.`,
        exchange,
        site,
        focus,
      ),
    );
  }
  const missing = [...accepted].filter((m) => !allowed.has(m) && !IMPLIED.has(m));
  if (missing.length > 0) {
    result.findings.push(
      makeFinding(
        'allow-mismatch',
        `Allow omits ${missing.join(', ')}, which ${route.template} accepts${route.documented ? ' per the OpenAPI document' : ''}.`,
        exchange,
        site,
        focus,
      ),
    );
  }
  const extra = [...allowed].filter((m) => !accepted.has(m) && !IMPLIED.has(m) && m !== method);
  if (extra.length === 0) return [];
  if (route.documented) {
    result.findings.push(
      makeFinding(
        'allow-undocumented',
        `Allow lists ${extra.join(', ')}, which the OpenAPI document does not declare for ${route.template}.`,
        exchange,
        site,
        focus,
      ),
    );
    return [];
  }
  // Without a document, a safe method Allow lists is tried: it must not be refused in turn.
  if (!extra.includes('GET')) return [];
  const target = `GET ${route.template}`;
  const follow = await context.send({ method: 'GET', path });
  const checked = judge(
    follow,
    {
      name: 'wrong-method',
      target,
      expected: [],
      why: '',
      fix: '',
    },
    context.baseUrl,
  );
  checked.note = 'sent because Allow lists GET: it must not answer 405.';
  if (follow.response.status === 405) {
    result.findings.push(
      makeFinding(
        'allow-mismatch',
        `Allow lists GET, but GET ${route.template} answers 405.`,
        exchange,
        site,
        focus,
      ),
    );
  }
  return [checked];
}

function plan(route: Route): PlannedProbe | undefined {
  const method = CANDIDATES.find((candidate) => !route.operations.has(candidate));
  if (method === undefined) return undefined;
  const target = `${method} ${route.template}`;
  return {
    name: 'wrong-method',
    target,
    async run(context) {
      const { path } = await context.resolvePath(route.template);
      const exchange = await context.send({ method, path });
      const accepted = [...route.operations.keys()].join(', ');
      const result = judge(
        exchange,
        {
          name: 'wrong-method',
          target,
          expected: [405],
          why: `${route.template} exists and accepts ${accepted}, not ${method}.`,
          fix: 'Answer a known path with an unrouted method with 405 and `Allow` (apifault adapters do).',
        },
        context.baseUrl,
      );
      const site = { probe: 'wrong-method' as const, target, baseUrl: context.baseUrl };
      const extra = await checkAllow(context, route, method, path, result, site, exchange);
      if (result.findings.some((finding) => finding.severity === 'error')) result.outcome = 'fail';
      return [result, ...extra];
    },
  };
}

/** Plans one request per path (at most 50), with a method the path does not accept. */
export const planWrongMethod: ProbePlanner = (routes) => {
  if (routes.length === 0) return { skip: 'no routes: give an OpenAPI document or --path.' };
  const planned = routes
    .slice(0, MAX_WRONG_METHOD_ROUTES)
    .map(plan)
    .filter((p) => p !== undefined);
  return planned.length > 0 ? planned : { skip: 'every path accepts every method tried.' };
};
