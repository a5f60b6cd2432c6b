/** Holds one answer seen in live traffic (a proxy's, a log's) to the same rules as a probe's. */

import type { Exchange } from './exchange.js';
import { checkErrorResponse } from './response-checks.js';
import type { Severity } from './types.js';

/** An answer as a proxy or a log saw it. */
export interface ObservedAnswer {
  /** The request method. */
  method: string;
  /** The request target as sent: the path and any query. */
  target: string;
  /** The request's headers, lower-case names (only the request ids are read). */
  requestHeaders: Readonly<Record<string, string | string[] | undefined>>;
  /** The answer's status. */
  status: number;
  /** The answer's headers, lower-case names. */
  headers: Readonly<Record<string, string | string[] | number | undefined>>;
  /** The answer's body as text (its first 64 KiB are enough). */
  body: string;
}

/** One rule an observed answer breaks. */
export interface AnswerViolation {
  severity: Severity;
  /** The rule broken, as `apifault check` names it (`content-type`, `body-json` …). */
  rule: string;
  /** A plain sentence saying what is wrong. */
  message: string;
  /** How to fix it. */
  fix: string;
}

function single(value: string | string[] | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * The rules an observed answer breaks: for a 4xx/5xx, content type, body, the status's
 * headers and the echo of the request ids the request carried (a request without an id is
 * not held to its echo). A 1xx–3xx breaks none.
 */
export function checkAnswer(answer: ObservedAnswer): AnswerViolation[] {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    const text = single(value);
    if (text !== undefined) headers[name.toLowerCase()] = text;
  }
  const requestId = single(answer.requestHeaders['ms-requestid']) ?? '';
  const correlationId = single(answer.requestHeaders['ms-correlationid']) ?? '';
  const exchange: Exchange = {
    request: { method: answer.method, url: answer.target, headers: {} },
    response: { status: answer.status, headers, bodyText: '', bodyTruncated: false },
    body: answer.body,
    requestId,
    correlationId,
    durationMs: 0,
  };
  // Live traffic has no probe: the site only labels findings, and those labels are dropped.
  const findings = checkErrorResponse(exchange, {
    probe: 'unknown-path',
    target: answer.target,
    baseUrl: '',
  });
  return findings
    .filter(
      (finding) =>
        !(finding.rule === 'request-id-echo' && requestId === '') &&
        !(finding.rule === 'correlation-id-echo' && correlationId === ''),
    )
    .map(({ severity, rule, message, fix }) => ({ severity, rule, message, fix }));
}
