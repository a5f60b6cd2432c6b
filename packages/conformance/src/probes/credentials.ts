/** Probes `no-credentials` and `garbage-token`: a protected route must answer 401 + WWW-Authenticate. */

import type { ProbeName } from '../types.js';
import { judge, type ProbePlanner, pickRoute } from './probe.js';

function planCredentials(name: ProbeName, auth: 'none' | 'garbage'): ProbePlanner {
  return (routes, settings) => {
    const picked = pickRoute(routes, (route) =>
      route.operations.get('GET')?.secured ? 'GET' : undefined,
    );
    if (!picked) {
      return {
        skip: settings.documented
          ? 'the OpenAPI document declares no GET operation that needs credentials.'
          : 'no token given, so no listed route is known to need credentials.',
      };
    }
    const target = `GET ${picked.route.template}`;
    return [
      {
        name,
        target,
        async run(context) {
          const { path } = await context.resolvePath(picked.route.template);
          const exchange = await context.send({ method: 'GET', path, auth });
          return [
            judge(
              exchange,
              {
                name,
                target,
                expected: [401],
                why:
                  auth === 'none'
                    ? 'the route needs credentials and none were sent.'
                    : 'the route needs credentials and the bearer token sent is garbage.',
                fix: 'Authenticate before routing to the handler; answer 401 with `WWW-Authenticate` (`unauthorized()`).',
                sentHeaders: ['Authorization'],
                credentials: true,
              },
              context.baseUrl,
            ),
          ];
        },
      },
    ];
  };
}

/** Plans a GET without `Authorization` on a route that needs credentials. */
export const planNoCredentials = planCredentials('no-credentials', 'none');

/** Plans a GET with `Authorization: Bearer apifault.garbage.token`. */
export const planGarbageToken = planCredentials('garbage-token', 'garbage');
