/** Loads an OpenAPI 3.0/3.1 JSON document and reads its routes, security and If-Match parameters. */

import { readFile } from 'node:fs/promises';
import { CheckOptionsError } from './check-options-error.js';
import { failureReason } from './exchange.js';
import type { Operation, Route } from './routes.js';
import type { FetchLike } from './types.js';

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Loads the document from a URL (fetched) or a file. YAML is not read: convert it to JSON. */
export async function loadOpenApi(
  source: string | Json,
  fetch: FetchLike,
  timeoutMs: number,
): Promise<Json> {
  if (isObject(source)) return source;
  let text: string;
  try {
    if (/^https?:\/\//i.test(source)) {
      const response = await fetch(source, {
        headers: { Accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`answered ${response.status}`);
      text = await response.text();
    } else {
      text = await readFile(source, 'utf8');
    }
  } catch (error) {
    throw new CheckOptionsError(
      `The OpenAPI document ${source} cannot be read: ${failureReason(error)}.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CheckOptionsError(
      `The OpenAPI document ${source} is not JSON (YAML is not read: convert it to JSON).`,
    );
  }
  if (!isObject(parsed))
    throw new CheckOptionsError(`The OpenAPI document ${source} is not an object.`);
  return parsed;
}

/** Follows local `$ref`s (`#/components/parameters/IfMatch`). */
function deref(document: Json, value: unknown): unknown {
  let current = value;
  for (
    let hops = 0;
    hops < 16 && isObject(current) && typeof current['$ref'] === 'string';
    hops++
  ) {
    const ref = current['$ref'];
    if (!ref.startsWith('#/')) return undefined;
    let target: unknown = document;
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObject(target) ? target[key] : undefined;
    }
    current = target;
  }
  return current;
}

function declaresIfMatch(document: Json, parameters: unknown[]): boolean {
  return parameters.some((raw) => {
    const parameter = deref(document, raw);
    return (
      isObject(parameter) &&
      parameter['in'] === 'header' &&
      typeof parameter['name'] === 'string' &&
      parameter['name'].toLowerCase() === 'if-match'
    );
  });
}

/** A security requirement list demands credentials unless it is empty or allows `{}`. */
function requiresCredentials(security: unknown): boolean {
  if (!Array.isArray(security) || security.length === 0) return false;
  return security.every(
    (requirement) => isObject(requirement) && Object.keys(requirement).length > 0,
  );
}

/** Whether the responses include a success (2xx/3xx, a range like `2XX`, or `default`). */
function documentsSuccess(responses: unknown): boolean {
  if (!isObject(responses) || Object.keys(responses).length === 0) return true;
  return Object.keys(responses).some((key) => /^[23]/.test(key) || key === 'default');
}

/**
 * The routes the document declares, in document order. Operations that document no success
 * (only errors, like a 501 placeholder for a route not implemented) are left out: no method
 * of such a path is served, so none can be "wrong".
 */
export function routesFromOpenApi(document: Json): Route[] {
  const paths = document['paths'];
  if (!isObject(paths)) throw new CheckOptionsError('The OpenAPI document has no `paths` object.');
  const routes: Route[] = [];
  for (const [template, rawItem] of Object.entries(paths)) {
    const item = deref(document, rawItem);
    if (!template.startsWith('/') || !isObject(item)) continue;
    const shared = Array.isArray(item['parameters']) ? item['parameters'] : [];
    const operations = new Map<string, Operation>();
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation) || !documentsSuccess(operation['responses'])) continue;
      const own = Array.isArray(operation['parameters']) ? operation['parameters'] : [];
      const upper = method.toUpperCase();
      operations.set(upper, {
        method: upper,
        secured: requiresCredentials(operation['security'] ?? document['security']),
        // A documented 412 says preconditions are evaluated, even without an If-Match parameter.
        ifMatch:
          declaresIfMatch(document, [...shared, ...own]) ||
          (isObject(operation['responses']) && '412' in operation['responses']),
        body: operation['requestBody'] !== undefined,
      });
    }
    if (operations.size > 0) routes.push({ template, operations, documented: true });
  }
  return routes;
}
