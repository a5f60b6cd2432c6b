/** 409: a conflict error that carries the conflicting resource in `data`. */

import { type ApiError, conflict } from '@apifault/contract';

/** The resource a request conflicts with, as it goes into the error's `data`. */
export interface ConflictingResource {
  /** The resource's type, as in `attributes.objectType` (`Customer`, `Subscription` …). */
  objectType: string;
  /** The existing resource's id, when the caller may know it. */
  id?: string;
  /** The field whose value collides (`domain`, `friendlyName` …). */
  field?: string;
  /** The colliding value. */
  value?: unknown;
}

/** Options of {@link conflictError}. */
export interface ConflictInput {
  /** The description. @default built from the first resource, e.g. `A Customer with domain "x" already exists.` */
  description?: string;
  /** The contract `code` (Partner Center uses numeric codes such as `800060`). @default '409' */
  code?: string | number;
  /** The conflicting resource(s), put first in `data`. */
  resource?: ConflictingResource | readonly ConflictingResource[];
  /** More details, appended to `data` after the resources. */
  data?: readonly unknown[];
  /** Where the error came from. @default the service's configured source */
  source?: string;
  /** The underlying error (a database error, say): for logs only, never in the body. */
  cause?: unknown;
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function describe(resource: ConflictingResource | undefined): string {
  if (!resource) return 'The request conflicts with the current state of the resource.';
  const { objectType, id, field, value } = resource;
  if (field !== undefined && value !== undefined) {
    return `A ${objectType} with ${field} "${show(value)}" already exists.`;
  }
  if (id !== undefined) return `The request conflicts with ${objectType} ${id}.`;
  return `The request conflicts with an existing ${objectType}.`;
}

/**
 * Builds a 409 whose `data` lists the conflicting resource(s), so the caller can find the
 * existing one. Throw it from a handler.
 *
 * @example
 * throw conflictError({ resource: { objectType: 'Customer', id: existing.id, field: 'domain', value: domain } })
 */
export function conflictError(input: ConflictInput = {}): ApiError {
  const resources: ConflictingResource[] =
    input.resource === undefined
      ? []
      : Array.isArray(input.resource)
        ? [...(input.resource as readonly ConflictingResource[])]
        : [input.resource as ConflictingResource];
  const data: unknown[] = [...resources, ...(input.data ?? [])];
  return conflict({
    description: input.description ?? describe(resources[0]),
    ...(input.code === undefined ? {} : { code: input.code }),
    ...(data.length > 0 ? { data } : {}),
    ...(input.source === undefined ? {} : { source: input.source }),
    ...(input.cause === undefined ? {} : { cause: input.cause }),
  });
}
