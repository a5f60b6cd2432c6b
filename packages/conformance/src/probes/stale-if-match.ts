/** Probe `stale-if-match`: a write with a stale `If-Match` must answer 412. */

import { formatIfMatch } from '@apifault/contract';
import { judge, type ProbePlanner, pickRoute } from './probe.js';

/** An entity tag no resource has. */
export const STALE_ETAG = formatIfMatch('apifault-stale-etag');

/** Plans a write with a stale `If-Match` where the document declares that header. */
export const planStaleIfMatch: ProbePlanner = (routes, settings) => {
  if (!settings.documented) return { skip: 'needs an OpenAPI document that declares If-Match.' };
  const order = ['PATCH', 'PUT', 'POST', 'DELETE'];
  const picked = pickRoute(routes, (route) =>
    order.find((method) => route.operations.get(method)?.ifMatch),
  );
  if (!picked)
    return {
      skip: 'the OpenAPI document declares no If-Match header parameter and no 412 response.',
    };
  const target = `${picked.method} ${picked.route.template}`;
  const withBody = picked.route.operations.get(picked.method)?.body ?? false;
  return [
    {
      name: 'stale-if-match',
      target,
      async run(context) {
        const { path, placeholder } = await context.resolvePath(picked.route.template);
        // Send the resource's own representation back, so only the precondition is wrong.
        let body = '{}';
        if (withBody && picked.route.operations.has('GET') && !placeholder) {
          const current = await context.send({ method: 'GET', path });
          if (current.response.status === 200 && isJson(current.body)) body = current.body;
        }
        const headers: Record<string, string> = { 'If-Match': STALE_ETAG };
        if (withBody) headers['Content-Type'] = 'application/json';
        const exchange = await context.send({
          method: picked.method,
          path,
          headers,
          ...(withBody ? { body } : {}),
        });
        return [
          judge(
            exchange,
            {
              name: 'stale-if-match',
              target,
              expected: [412],
              why: 'If-Match names an entity tag the resource does not have.',
              fix: 'Compare If-Match with the current ETag before writing; answer 412 on a mismatch.',
              sentHeaders: ['If-Match'],
              placeholder,
            },
            context.baseUrl,
          ),
        ];
      },
    },
  ];
};

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
