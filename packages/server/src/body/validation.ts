/** 400 for validation failures, with one entry per field in `data`. */

import { type ApiError, badRequest } from '@apifault/contract';

/** One field that failed validation. */
export interface FieldError {
  /** The field, as a JSON Pointer or dotted path (`/quantity`, `billingProfile.email`). */
  field: string;
  /** What is wrong with it, for the caller. */
  message: string;
}

/**
 * Builds the 400 of a request that failed validation; `data` lists the fields.
 *
 * @example throw validationError([{ field: '/quantity', message: 'must be at least 1' }])
 */
export function validationError(fields: readonly FieldError[], description?: string): ApiError {
  const data = fields.map((f) => ({ field: String(f.field), message: String(f.message) }));
  const count = data.length;
  return badRequest({
    code: 'ValidationFailed',
    description:
      description ??
      (count === 1
        ? `The request is not valid: ${data[0]!.field} ${data[0]!.message}.`
        : `The request is not valid: ${count} fields failed validation.`),
    data,
  });
}
