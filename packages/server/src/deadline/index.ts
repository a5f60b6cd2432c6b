/** 504: a deadline for a handler's work, aborting the abandoned work through an AbortSignal. */

export { type DeadlineOptions, withDeadline } from './with-deadline.js';
