/** Rendering: any thrown value to a contract error response. */

export { classifyError, type ErrorParts, optionsParts } from './classify.js';
export {
  localeOf,
  type RenderContext,
  type RenderedError,
  renderError,
  renderParts,
  statusParts,
} from './render.js';
