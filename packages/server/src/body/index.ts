/** 400/413/408: JSON body reading (content type, size limit, receive timeout) and validation errors. */

export {
  bodyTimeout,
  emptyBody,
  invalidJson,
  payloadTooLarge,
  unsupportedContentType,
} from './errors.js';
export { declaresBody, readJsonBody, readJsonStream } from './node.js';
export {
  assertJsonContentType,
  type BodyHeaders,
  decodeUtf8,
  isJsonContentType,
  parseJsonBody,
  planBodyRead,
} from './parse.js';
export type { ReadBodyOptions } from './types.js';
export { type FieldError, validationError } from './validation.js';
export { readJsonRequest } from './web.js';
