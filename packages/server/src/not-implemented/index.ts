/** 501: routes declared as not implemented, and methods the service does not implement at all. */

export { unknownMethodError } from './known-methods.js';
export { notImplementedRoute } from './not-implemented-route.js';
