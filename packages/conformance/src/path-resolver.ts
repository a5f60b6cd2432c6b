/**
 * Fills path templates with real ids: each `{param}` takes the first id the collection above it
 * lists (`items[0].id`, as Partner Center collections do), else a placeholder id.
 */

import type { Exchange, Outgoing } from './exchange.js';
import type { ResolvedPath } from './probes/probe.js';

/** The id used when no real one is found: UUID-shaped, so format checks on ids pass. */
export const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

function firstId(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const record = parsed as Record<string, unknown> | null;
  const list = Array.isArray(parsed)
    ? parsed
    : [record?.['items'], record?.['value'], record?.['data']].find(Array.isArray);
  const first = (list as unknown[] | undefined)?.[0] as Record<string, unknown> | undefined;
  const id = first?.['id'];
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/** A resolver that remembers what it found, so each collection is read once per run. */
export function createPathResolver(
  send: (outgoing: Outgoing) => Promise<Exchange>,
): (template: string) => Promise<ResolvedPath> {
  const lists = new Map<string, Promise<string | undefined>>();
  const listFirstId = (path: string): Promise<string | undefined> => {
    let pending = lists.get(path);
    if (!pending) {
      pending = send({ method: 'GET', path }).then((exchange) =>
        exchange.response.status === 200 ? firstId(exchange.body) : undefined,
      );
      lists.set(path, pending);
    }
    return pending;
  };
  return async (template) => {
    let path = '';
    let placeholder = false;
    for (const segment of template.split('/').slice(1)) {
      if (!segment.includes('{')) {
        path += `/${segment}`;
        continue;
      }
      const whole = /^\{[^}]+\}$/.test(segment);
      const id = whole && !placeholder ? await listFirstId(path || '/') : undefined;
      if (id === undefined) placeholder = true;
      path += `/${segment.replace(/\{[^}]+\}/g, encodeURIComponent(id ?? PLACEHOLDER_ID))}`;
    }
    return { path: path || '/', placeholder };
  };
}
