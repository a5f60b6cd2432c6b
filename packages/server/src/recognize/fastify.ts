/** Fastify's own errors: its `FST_*` codes, schema validation and JSON syntax errors, as contract errors. */

import { emptyBody, invalidJson, payloadTooLarge, unsupportedContentType } from '../body/errors.js';
import { validationError } from '../body/validation.js';
import { apiErrorParts, type ErrorRecognizer, errorParts, isErrorBag } from '../render/index.js';

function validationParts(validation: unknown[]) {
  const fields = validation.map((v) => {
    const item = isErrorBag(v) ? v : {};
    const params = isErrorBag(item['params']) ? item['params'] : {};
    const missing = params['missingProperty'];
    const path = typeof item['instancePath'] === 'string' ? item['instancePath'] : '';
    return {
      // A missing property is reported on its parent; name the property itself.
      field: typeof missing === 'string' ? `${path}/${missing}` : path || '/',
      message: String(item['message'] ?? 'is not valid'),
    };
  });
  return apiErrorParts(validationError(fields));
}

/** Fastify's own errors: `FST_*` codes, schema validation, its JSON syntax errors. */
export const recognizeFastify: ErrorRecognizer = (error, { contentType }) => {
  const code = error['code'];
  if (typeof code === 'string' && code.startsWith('FST_')) {
    switch (code) {
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return apiErrorParts(unsupportedContentType(contentType));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return apiErrorParts(payloadTooLarge());
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return apiErrorParts(emptyBody());
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return apiErrorParts(invalidJson(String(error['message'] ?? '')));
    }
  }
  if (Array.isArray(error['validation'])) return validationParts(error['validation']);
  if (error instanceof SyntaxError && error['statusCode'] === 400) {
    return apiErrorParts(invalidJson(error.message));
  }
  if (typeof code !== 'string' || !code.startsWith('FST_')) return undefined;
  const status = error['statusCode'];
  // Fastify's own 4xx messages are written for the caller.
  return errorParts({
    status: typeof status === 'number' ? status : 500,
    description: typeof error['message'] === 'string' ? error['message'] : undefined,
    headers: isErrorBag(error['headers']) ? error['headers'] : undefined,
    known: typeof status === 'number' && status < 500,
  });
};
