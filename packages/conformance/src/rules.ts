/** Every rule a checked response is held to, with its severity and how to fix it. */

import type { Severity } from './types.js';

/** What the checker knows about one rule. */
export interface RuleInfo {
  severity: Severity;
  /** What the rule demands, in one sentence. */
  summary: string;
  /** How to fix a violation. */
  fix: string;
}

/** The rules, by name. The README lists the same table. */
export const RULES = Object.freeze({
  'expected-status': {
    severity: 'error',
    summary: 'The probe gets the status the contract prescribes for it.',
    fix: 'Answer this request with the prescribed status (see the probe in the README).',
  },
  'no-response': {
    severity: 'error',
    summary: 'Every request gets an answer within the timeout.',
    fix: 'Make the error path answer instead of closing the connection or hanging.',
  },
  'content-type': {
    severity: 'error',
    summary: 'Every 4xx/5xx is served as application/json.',
    fix: 'Send error bodies with `Content-Type: application/json; charset=utf-8`.',
  },
  'content-type-charset': {
    severity: 'warning',
    summary: 'The error content type carries `charset=utf-8`.',
    fix: 'Send `Content-Type: application/json; charset=utf-8` exactly.',
  },
  'body-json': {
    severity: 'error',
    summary: 'Every 4xx/5xx body is a JSON document.',
    fix: 'Serialize `{ code, description, source, data? }` as the body.',
  },
  'body-type': {
    severity: 'error',
    summary: 'The body is an object; `code`, `description`, `source` are strings, `data` an array.',
    fix: 'Build the body with `ApiError#toBody()` or send `code` as a string (`"3000"`, not 3000).',
  },
  'body-required': {
    severity: 'error',
    summary: '`code`, `description` and `source` are always present.',
    fix: 'Always send `code`, `description` and `source` (`ApiError#toBody()` does).',
  },
  'body-not-null': {
    severity: 'error',
    summary: '`code`, `description` and `source` are never null.',
    fix: 'Replace null with a string; `toDescription()` gives a default description.',
  },
  'body-non-empty': {
    severity: 'error',
    summary: '`description` is never empty.',
    fix: 'Explain the error; `toDescription()` fills in the default description of the status.',
  },
  'body-max-length': {
    severity: 'error',
    summary: '`description` has at most 1024 code points.',
    fix: 'Cut long descriptions with `toDescription()`, which never splits a surrogate pair.',
  },
  'description-blank': {
    severity: 'warning',
    summary: '`description` is more than white space.',
    fix: 'Explain the error; `toDescription()` replaces blank text with the status default.',
  },
  'stack-trace': {
    severity: 'error',
    summary: 'An error body never carries a stack trace.',
    fix: 'Log the stack; answer with the contract body only (and run with NODE_ENV=production).',
  },
  'www-authenticate': {
    severity: 'error',
    summary: 'Every 401 carries `WWW-Authenticate`.',
    fix: 'Send `WWW-Authenticate: OAuth realm=urn:cpsvc:cpid:{cid}` (`unauthorized()` does).',
  },
  'www-authenticate-scheme': {
    severity: 'warning',
    summary: 'The challenge has the documented form `OAuth realm=…`.',
    fix: 'Use `formatChallenge(realm)`: `OAuth realm=urn:cpsvc:cpid:{cid}`.',
  },
  allow: {
    severity: 'error',
    summary: 'Every 405 carries `Allow`.',
    fix: 'List the methods the resource supports in `Allow` (`methodNotAllowed({ allow })` does).',
  },
  'allow-mismatch': {
    severity: 'error',
    summary: '`Allow` lists exactly the methods the path accepts.',
    fix: 'Build `Allow` from the routes registered on the path.',
  },
  'allow-undocumented': {
    severity: 'warning',
    summary: '`Allow` lists only methods the OpenAPI document declares.',
    fix: 'Declare the method in the OpenAPI document, or stop routing it.',
  },
  'retry-after': {
    severity: 'error',
    summary: 'Every 429 carries `Retry-After`.',
    fix: 'Send `Retry-After` in whole seconds with every 429 (`tooManyRequests({ retryAfter })`).',
  },
  'retry-after-invalid': {
    severity: 'error',
    summary: '`Retry-After` on a 429 or 503 is whole seconds or an HTTP-date.',
    fix: 'Format it with `formatRetryAfter()`: whole seconds, at least 1.',
  },
  'request-id-echo': {
    severity: 'warning',
    summary: 'The `MS-RequestId` sent comes back on the response.',
    fix: 'Echo the request’s `MS-RequestId` (generate one when absent).',
  },
  'correlation-id-echo': {
    severity: 'warning',
    summary: 'The `MS-CorrelationId` sent comes back on the response.',
    fix: 'Echo the request’s `MS-CorrelationId` (generate one when absent).',
  },
} satisfies Record<string, RuleInfo>);

/** A rule's name. */
export type RuleName = keyof typeof RULES;
