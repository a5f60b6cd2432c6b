/** The errors of JSON body reading, shared by every adapter so all four answer alike. */

import { ApiError, badRequest, requestTimeout } from '@apifault/contract';
import { sanitizeHeaderValue } from '../request-ids/index.js';

/** The media types accepted for a JSON body, as text for descriptions. */
const EXPECTED = 'application/json (or a +json type)';

/** 400: the body is present but its `Content-Type` is not JSON. */
export function unsupportedContentType(contentType: string | undefined): ApiError {
  const got =
    contentType === undefined || contentType.trim() === ''
      ? 'no Content-Type'
      : `Content-Type ${JSON.stringify(sanitizeHeaderValue(contentType).slice(0, 100))}`;
  return badRequest({
    code: 'UnsupportedContentType',
    description: `The request body must be ${EXPECTED}; the request has ${got}.`,
  });
}

/** 400: the body is not valid JSON; `detail` says where (the parser's message). */
export function invalidJson(detail: string): ApiError {
  const text = detail.replace(/\s+/g, ' ').trim().slice(0, 300);
  return badRequest({
    code: 'InvalidJson',
    description: `The request body is not valid JSON: ${text || 'it could not be parsed'}.`,
  });
}

/** 400: a JSON body was announced (by its `Content-Type`) but is empty. */
export function emptyBody(): ApiError {
  return badRequest({
    code: 'InvalidJson',
    description: 'The request body is empty; a JSON value is required.',
  });
}

/**
 * 413 (same body shape as a 400): the body exceeds the limit. Sent with
 * `Connection: close` because the rest of the body is never read.
 */
export function payloadTooLarge(limit?: number): ApiError {
  return new ApiError({
    status: 413,
    code: 'PayloadTooLarge',
    description:
      limit === undefined
        ? 'The request body is larger than this service accepts.'
        : `The request body is larger than the limit of ${limit} bytes.`,
    headers: { Connection: 'close' },
  });
}

/** 408: the body did not arrive within `ms` milliseconds. Sent with `Connection: close`. */
export function bodyTimeout(ms: number): ApiError {
  return requestTimeout({
    code: 'RequestTimeout',
    description: `The request body was not received within ${ms} ms.`,
  });
}
