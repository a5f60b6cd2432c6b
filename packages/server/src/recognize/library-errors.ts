/** Recognisers of the error shapes HTTP libraries share: Boom's `output`, http-errors' `status` and `expose`. */

import { type ErrorRecognizer, isErrorBag } from '../render/classify.js';
import { errorParts, errorStatus } from '../render/error-parts.js';

/** Boom (`@hapi/boom`): the public answer lives in `output`; a 4xx message is written for the caller. */
export const recognizeBoom: ErrorRecognizer = (error) => {
  if (error['isBoom'] !== true || !isErrorBag(error['output'])) return undefined;
  const output = error['output'];
  const status = errorStatus(output['statusCode']) ?? 500;
  const payload = isErrorBag(output['payload']) ? output['payload'] : {};
  const message = typeof payload['message'] === 'string' ? payload['message'] : error['message'];
  return errorParts({
    status,
    description: typeof message === 'string' ? message : undefined,
    headers: isErrorBag(output['headers']) ? output['headers'] : undefined,
    known: status < 500,
  });
};

/**
 * http-errors and look-alikes: a `status` or `statusCode`, with `expose` and `headers`. The
 * message is shown only when the error says `expose: true`.
 */
export const recognizeStatusError: ErrorRecognizer = (error) => {
  const status = errorStatus(error['status']) ?? errorStatus(error['statusCode']);
  if (status === undefined) return undefined;
  return errorParts({
    status,
    description: typeof error['message'] === 'string' ? error['message'] : undefined,
    headers: isErrorBag(error['headers']) ? error['headers'] : undefined,
    expose: error['expose'] === true,
    known: status < 500,
  });
};

/** The recognisers every adapter starts with: Boom, then any error carrying an HTTP status. */
export const LIBRARY_RECOGNIZERS: readonly ErrorRecognizer[] = Object.freeze([
  recognizeBoom,
  recognizeStatusError,
]);
