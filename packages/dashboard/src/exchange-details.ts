/**
 * What the dashboard shows of a recorded exchange: its headers and bodies with secrets
 * redacted (bearer tokens, cookies, fields named like tokens, secrets or passwords), and a
 * curl line that replays the request, with `$APIFAULT_TOKEN` in place of the token.
 */

import type { CompletedExchange, RecordedBody } from './exchange-feed.js';

/** What a redacted value reads. */
export const REDACTED = '[redacted]';

/** Header names whose values are secrets. */
const SECRET_HEADER =
  /^(?:authorization|proxy-authorization|cookie|set-cookie)$|token|secret|api-?key/i;

/** JSON field names and form keys whose values are secrets. */
const SECRET_FIELD = /token|secret|password|assertion|api-?key/i;

/** Headers curl sets itself, or that belong to one connection. */
const NOT_REPLAYED = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'upgrade',
  'expect',
]);

/** A summary of an exchange, one row of the live list. */
export interface ExchangeSummary {
  seq: number;
  time: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  requestId: string;
  correlationId: string;
  partner: string | null;
  aborted: boolean;
}

/** A recorded body as shown: text with secrets redacted. */
export interface ShownBody {
  text: string;
  bytes: number;
  truncated: boolean;
}

/** An exchange opened in the dashboard. */
export interface ExchangeDetails extends ExchangeSummary {
  target: string;
  requestHeaders: Record<string, string>;
  requestBody: ShownBody | null;
  responseHeaders: Record<string, string>;
  responseBody: ShownBody | null;
  /** A shell line that sends the request again. */
  curl: string;
}

/** The row of `exchange` in the live list. */
export function summarize(seq: number, exchange: CompletedExchange): ExchangeSummary {
  return {
    seq,
    time: exchange.time,
    method: exchange.method,
    path: exchange.path,
    status: exchange.status,
    durationMs: exchange.durationMs,
    requestId: exchange.requestId,
    correlationId: exchange.correlationId,
    partner: exchange.partner ?? null,
    aborted: exchange.aborted,
  };
}

function headerText(value: string | readonly string[] | number | undefined): string {
  return Array.isArray(value) ? value.join(', ') : String(value ?? '');
}

/** Headers with secret values replaced (a bearer token keeps its scheme). */
export function redactHeaders(
  headers: Readonly<Record<string, string | readonly string[] | number | undefined>>,
): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const name of Object.keys(headers).sort()) {
    const value = headerText(headers[name]);
    if (!SECRET_HEADER.test(name)) shown[name] = value;
    else {
      const scheme = /^(Bearer|Basic|OAuth)\s/i.exec(value)?.[1];
      shown[name] = scheme === undefined ? REDACTED : `${scheme} ${REDACTED}`;
    }
  }
  return shown;
}

function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    result[key] =
      SECRET_FIELD.test(key) && typeof field !== 'object' ? REDACTED : redactJson(field);
  }
  return result;
}

/** `text` with secret values replaced: JSON fields by name (re-serialized), else keys by name. */
function redactText(text: string, whole: boolean, indent?: number): string {
  if (whole) {
    try {
      return JSON.stringify(redactJson(JSON.parse(text)), null, indent);
    } catch {
      // not JSON: redacted as text
    }
  }
  return text.replace(
    /((?:^|[&\s"'])[\w.-]*(?:token|secret|password|assertion)[\w.-]*["']?\s*[=:]\s*["']?)[^&\s"',}]+/gi,
    `$1${REDACTED}`,
  );
}

/** A body as shown, secrets redacted (a whole JSON body is indented). */
export function redactBody(body: RecordedBody | undefined): ShownBody | null {
  if (body === undefined) return null;
  return {
    text: redactText(body.text, !body.truncated, 2),
    bytes: body.bytes,
    truncated: body.truncated,
  };
}

/** `text` quoted for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * A curl line that sends the request again: the same method, target and headers (the
 * bearer token as `$APIFAULT_TOKEN`, other secrets left out), and the body when it was
 * recorded whole (its secret fields redacted).
 */
export function curlLine(exchange: CompletedExchange): string {
  const host = headerText(exchange.requestHeaders.host) || 'localhost';
  const url = `${exchange.secure ? 'https' : 'http'}://${host}${exchange.target}`;
  const parts = ['curl', '-i'];
  if (exchange.method !== 'GET') parts.push('-X', exchange.method);
  parts.push(shellQuote(url));
  for (const name of Object.keys(exchange.requestHeaders).sort()) {
    if (NOT_REPLAYED.has(name)) continue;
    const value = headerText(exchange.requestHeaders[name]);
    if (name === 'authorization' && /^Bearer\s/i.test(value)) {
      parts.push('-H', '"Authorization: Bearer $APIFAULT_TOKEN"');
    } else if (!SECRET_HEADER.test(name)) {
      parts.push('-H', shellQuote(`${name}: ${value}`));
    }
  }
  const body = exchange.requestBody;
  // A secret in the body is left out of the line too: the replay sends `[redacted]`.
  if (body !== undefined && !body.truncated) {
    parts.push('--data-raw', shellQuote(redactText(body.text, true)));
  }
  return parts.join(' ');
}

/** An exchange as the dashboard opens it. */
export function describeExchange(seq: number, exchange: CompletedExchange): ExchangeDetails {
  return {
    ...summarize(seq, exchange),
    target: exchange.target,
    requestHeaders: redactHeaders(exchange.requestHeaders),
    requestBody: redactBody(exchange.requestBody),
    responseHeaders: redactHeaders(exchange.responseHeaders),
    responseBody: redactBody(exchange.responseBody),
    curl: curlLine(exchange),
  };
}
