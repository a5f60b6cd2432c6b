/** Probes `malformed-json` and `wrong-content-type`: a write the API cannot read must answer 400. */

import type { ProbeName } from '../types.js';
import { judge, type ProbePlanner, pickRoute } from './probe.js';

/** A JSON text cut short. */
export const MALFORMED_JSON = '{"apifault": "malformed';

interface BadBody {
  name: ProbeName;
  contentType: string;
  body: string;
  expected: number[];
  why: string;
  fix: string;
}

function planBadBody(bad: BadBody): ProbePlanner {
  return (routes) => {
    const order = ['POST', 'PUT', 'PATCH'];
    const picked = pickRoute(routes, (route) =>
      order.find((method) => route.operations.get(method)?.body),
    );
    if (!picked) return { skip: 'no route takes a request body (POST, PUT or PATCH).' };
    const target = `${picked.method} ${picked.route.template}`;
    return [
      {
        name: bad.name,
        target,
        async run(context) {
          const { path, placeholder } = await context.resolvePath(picked.route.template);
          const exchange = await context.send({
            method: picked.method,
            path,
            headers: { 'Content-Type': bad.contentType },
            body: bad.body,
          });
          return [
            judge(
              exchange,
              {
                name: bad.name,
                target,
                expected: bad.expected,
                why: bad.why,
                fix: bad.fix,
                sentHeaders: ['Content-Type'],
                placeholder,
              },
              context.baseUrl,
            ),
          ];
        },
      },
    ];
  };
}

/** Plans a write whose JSON body is cut short. */
export const planMalformedJson = planBadBody({
  name: 'malformed-json',
  contentType: 'application/json',
  body: MALFORMED_JSON,
  expected: [400],
  why: 'the body is not valid JSON.',
  fix: 'Turn body-parser errors into a 400 with the contract body (apifault adapters do).',
});

/** Plans a write whose body is sent as text/plain. */
export const planWrongContentType = planBadBody({
  name: 'wrong-content-type',
  contentType: 'text/plain; charset=utf-8',
  body: '{"apifault":"text/plain"}',
  expected: [400, 415],
  why: 'the body is text/plain, not application/json.',
  fix: 'Check Content-Type on writes; refuse anything but application/json with 400 (or 415).',
});
