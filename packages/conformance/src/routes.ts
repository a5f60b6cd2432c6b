/** The routes a run probes: from the OpenAPI document, or from the paths the user lists. */

import { CheckOptionsError } from './check-options-error.js';
import type { PathSpec } from './types.js';

/** What the checker knows about one operation. */
export interface Operation {
  method: string;
  /** Whether it needs credentials (document `security`; for listed paths, whether a token was given). */
  secured: boolean;
  /** Whether the document declares an `If-Match` header parameter or a 412 response. */
  ifMatch: boolean;
  /** Whether it takes a request body (document `requestBody`; for listed paths, POST/PUT/PATCH). */
  body: boolean;
}

/** One path and the operations it accepts. */
export interface Route {
  /** The path template, `/v1/customers/{customerId}`. */
  template: string;
  /** Operations by upper-case method. */
  operations: Map<string, Operation>;
  /** Whether the methods come from an OpenAPI document (else from the user's list). */
  documented: boolean;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Whether a path has template parameters (`{id}`). */
export function hasParameters(template: string): boolean {
  return /\{[^}]+\}/.test(template);
}

/** Parses the user's route list: `'/v1/x'` (GET), `'GET,POST /v1/x'` or `{ path, methods }`. */
export function routesFromPaths(paths: readonly PathSpec[], secured: boolean): Route[] {
  const byPath = new Map<string, Route>();
  for (const spec of paths) {
    let path: string;
    let methods: readonly string[];
    if (typeof spec === 'string') {
      const match = /^\s*(?:([A-Za-z,]+)\s+)?(\S+)\s*$/.exec(spec);
      if (!match) throw new CheckOptionsError(`The path \`${spec}\` is not \`[METHODS ]/path\`.`);
      path = match[2]!;
      methods = match[1] ? match[1].split(',').filter(Boolean) : ['GET'];
    } else {
      path = spec.path;
      methods = spec.methods && spec.methods.length > 0 ? spec.methods : ['GET'];
    }
    if (!path.startsWith('/'))
      throw new CheckOptionsError(`The path \`${path}\` must start with /.`);
    const route = byPath.get(path) ?? { template: path, operations: new Map(), documented: false };
    for (const raw of methods) {
      const method = raw.toUpperCase();
      route.operations.set(method, {
        method,
        secured,
        ifMatch: false,
        body: WRITE_METHODS.has(method),
      });
    }
    byPath.set(path, route);
  }
  return [...byPath.values()];
}
