/** 412 and 304: conditional requests (`If-Match`, `If-None-Match`, dates) per RFC 9110. */

export {
  checkPreconditions,
  type PreconditionOptions,
  type PreconditionRequest,
  type PreconditionResult,
  type ResourceState,
} from './check-preconditions.js';
export { parseHttpDate } from './http-date.js';
