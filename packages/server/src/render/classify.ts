/** Turns any thrown value into error parts: the contract's own errors here, the rest through recognisers. */

import { isApiError } from '@apifault/contract';
import { type ErrorParts, errorParts, isErrorParts, UNEXPECTED } from './error-parts.js';

/** A thrown value reduced to a bag of properties a recogniser may read. */
export type ErrorBag = Record<string, unknown>;

/** What a recogniser knows of the request whose handler threw. */
export interface RecognizeContext {
  /** The request's `Content-Type`, for body errors that name it. */
  readonly contentType: string | undefined;
}

/**
 * Recognises the errors of one library or framework (its own codes, its own shape) and
 * turns them into error parts; `undefined` passes the error on to the next recogniser.
 *
 * @example const teapot: ErrorRecognizer = (e) => (e['teapot'] ? errorParts({ status: 400 }) : undefined)
 */
export type ErrorRecognizer = (
  error: ErrorBag,
  context: RecognizeContext,
) => ErrorParts | undefined;

/** Whether a thrown value has properties to read: any object (an `Error`, a bag, a Proxy). */
export function isErrorBag(value: unknown): value is ErrorBag {
  return typeof value === 'object' && value !== null;
}

/** The parts of an `ApiError` (or anything of its shape), with the contract's defaults. */
export function apiErrorParts(value: object): ErrorParts {
  const error = value as ErrorBag;
  return errorParts({
    status: typeof error['status'] === 'number' ? error['status'] : 500,
    code: error['code'] as string | undefined,
    description: error['description'] as string | undefined,
    data: error['data'] as unknown[] | undefined,
    source: error['source'] as string | undefined,
    headers: isErrorBag(error['headers']) ? error['headers'] : undefined,
    expose: error['expose'] as boolean | undefined,
  });
}

/**
 * Reduces `error` to the parts of an error response: error parts as they are, an `ApiError`
 * by its fields, anything else through `recognizers` in order; what none recognises is an
 * unexpected 500. A recogniser that throws (a hostile Proxy) counts as not recognising.
 */
export function classifyError(
  error: unknown,
  recognizers: readonly ErrorRecognizer[] = [],
  context: RecognizeContext = { contentType: undefined },
): ErrorParts {
  if (!isErrorBag(error)) return UNEXPECTED;
  try {
    if (isErrorParts(error)) return error;
    if (isApiError(error)) return apiErrorParts(error as unknown as ErrorBag);
    for (const recognize of recognizers) {
      const parts = recognize(error, context);
      if (parts !== undefined) return parts;
    }
  } catch {
    return UNEXPECTED;
  }
  return UNEXPECTED;
}
