/** Probe `burst` (opt-in): a bounded burst of GETs, to see whether 429 comes with Retry-After. */

import type { Exchange } from '../exchange.js';
import { judge, type ProbePlanner, pickRoute } from './probe.js';

/** Plans a burst on a readable route (without parameters when there is one). */
export const planBurst: ProbePlanner = (routes) => {
  const picked = pickRoute(routes, (route) => (route.operations.has('GET') ? 'GET' : undefined));
  if (!picked) return { skip: 'no route accepts GET.' };
  const target = `GET ${picked.route.template}`;
  return [
    {
      name: 'burst',
      target,
      async run(context) {
        const { path } = await context.resolvePath(picked.route.template);
        const { requests, durationMs, concurrency } = context.burst;
        const deadline = Date.now() + durationMs;
        let sent = 0;
        let stop: Exchange | undefined;
        let last: Exchange | undefined;
        let cut: Exchange | undefined;
        const worker = async (): Promise<void> => {
          while (!stop && sent < requests && Date.now() < deadline) {
            sent++;
            // In-flight requests end at the deadline too: the burst is bounded in time.
            const timeoutMs = Math.max(1, deadline - Date.now());
            const exchange = await context.send({ method: 'GET', path, timeoutMs });
            // A request cut by the deadline says nothing about the API.
            if (exchange.failure && Date.now() >= deadline) {
              cut ??= exchange;
              break;
            }
            last = exchange;
            const status = exchange.response.status;
            // Any error answer ends the burst: a 429 is what it looks for, anything else is shown.
            if (!stop && (status >= 400 || exchange.failure)) stop = exchange;
          }
        };
        await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
        const shown = stop ?? last;
        if (!shown) {
          if (!cut) return [];
          const result = judge(
            cut,
            { name: 'burst', target, expected: [], why: '', fix: '' },
            context.baseUrl,
          );
          result.findings = [];
          result.expected = [429];
          result.outcome = 'inconclusive';
          result.note = `no answer within the burst's ${durationMs} ms.`;
          return [result];
        }
        const shed = stop !== undefined && [429, 503].includes(stop.response.status);
        const result = judge(
          shown,
          { name: 'burst', target, expected: shed ? [429, 503] : [], why: '', fix: '' },
          context.baseUrl,
        );
        result.expected = [429];
        if (!stop) {
          result.note = `no 429 within ${sent} requests: no rate limit was seen (not a violation).`;
        } else if (stop.failure || shed) {
          result.note = `${stop.response.status || 'no answer'} after ${sent} requests.`;
        } else {
          result.note = `answered ${stop.response.status} before any 429: the burst stopped there.`;
        }
        if (!shed && result.outcome === 'pass') result.outcome = 'inconclusive';
        return [result];
      },
    },
  ];
};
