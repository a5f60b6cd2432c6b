/** Probe `not-acceptable`: `Accept: application/xml` on a JSON API must answer 406. */

import { judge, type ProbePlanner, pickRoute } from './probe.js';

/** Plans a GET with `Accept: application/xml` on a readable route. */
export const planNotAcceptable: ProbePlanner = (routes) => {
  const picked = pickRoute(routes, (route) => (route.operations.has('GET') ? 'GET' : undefined));
  if (!picked) return { skip: 'no route accepts GET.' };
  const target = `GET ${picked.route.template}`;
  return [
    {
      name: 'not-acceptable',
      target,
      async run(context) {
        const { path, placeholder } = await context.resolvePath(picked.route.template);
        const exchange = await context.send({
          method: 'GET',
          path,
          headers: { Accept: 'application/xml' },
        });
        return [
          judge(
            exchange,
            {
              name: 'not-acceptable',
              target,
              expected: [406],
              why: 'the API serves JSON and the request accepts only application/xml.',
              fix: 'Negotiate on Accept and answer 406 when it excludes application/json.',
              sentHeaders: ['Accept'],
              placeholder,
            },
            context.baseUrl,
          ),
        ];
      },
    },
  ];
};
