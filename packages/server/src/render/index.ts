/** Rendering: any thrown value to a contract error response. */

export {
  apiErrorParts,
  classifyError,
  type ErrorBag,
  type ErrorRecognizer,
  isErrorBag,
  type RecognizeContext,
} from './classify.js';
export {
  type ErrorParts,
  type ErrorPartsInit,
  errorParts,
  errorStatus,
  isErrorParts,
  UNEXPECTED,
} from './error-parts.js';
export {
  localeOf,
  type RenderContext,
  type RenderedError,
  renderError,
  renderParts,
} from './render.js';
