/** 409: conflicts, with the conflicting resource in `data`, and unique-violation detection. */

export { type ConflictInput, type ConflictingResource, conflictError } from './conflict-error.js';
export { isUniqueViolation } from './unique-violation.js';
