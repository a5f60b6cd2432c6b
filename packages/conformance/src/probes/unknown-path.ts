/** Probe `unknown-path`: a path no API routes must answer 404. */

import { randomBytes } from 'node:crypto';
import type { Route } from '../routes.js';
import { judge, type ProbePlanner } from './probe.js';

/** The static first segment every route shares (`/v1`), so the probe passes the API's prefix. */
function commonPrefix(routes: readonly Route[]): string {
  const firsts = new Set(routes.map((route) => route.template.split('/')[1] ?? ''));
  const [only] = firsts;
  return firsts.size === 1 && only && !only.includes('{') ? `/${only}` : '';
}

/** Plans `GET {prefix}/apifault-unknown-{random}`. */
export const planUnknownPath: ProbePlanner = (routes) => {
  const path = `${commonPrefix(routes)}/apifault-unknown-${randomBytes(4).toString('hex')}`;
  const target = `GET ${path}`;
  return [
    {
      name: 'unknown-path',
      target,
      async run(context) {
        const exchange = await context.send({ method: 'GET', path });
        return [
          judge(
            exchange,
            {
              name: 'unknown-path',
              target,
              expected: [404],
              why: 'no route matches this path.',
              fix: 'Answer unmatched paths with 404 and the contract body (a not-found handler).',
            },
            context.baseUrl,
          ),
        ];
      },
    },
  ];
};
