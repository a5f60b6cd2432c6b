/** Holds every 4xx/5xx answer to the contract: content type, body, headers per status, id echo. */

import { parseRetryAfter, validateErrorBody } from '@apifault/contract';
import type { Exchange } from './exchange.js';
import { type FindingSite, makeFinding } from './finding.js';
import type { Finding } from './types.js';

/** Frames of a V8/Node stack trace, `at fn (file.js:1:2)`, as pages and JSON bodies show them. */
const STACK_FRAME =
  /\bat (?:[\w$.<>[\] ]+ \()?(?:file:\/\/|node:|\/|[A-Za-z]:\\)[^\s)]*:\d+:\d+\)?/;

function checkContentType(exchange: Exchange, site: FindingSite, out: Finding[]): boolean {
  const value = exchange.response.headers['content-type'];
  const focus = { received: ['Content-Type'] };
  if (value === undefined) {
    out.push(
      makeFinding('content-type', 'The error answer has no Content-Type.', exchange, site, focus),
    );
    return false;
  }
  const [type = '', ...params] = value.split(';').map((part) => part.trim());
  if (type.toLowerCase() !== 'application/json') {
    out.push(
      makeFinding(
        'content-type',
        `The error answer is ${type || 'untyped'}; the contract serves errors as application/json.`,
        exchange,
        site,
        focus,
      ),
    );
    return false;
  }
  const charset = params
    .map((param) => param.split('='))
    .find(([name]) => name?.trim().toLowerCase() === 'charset')?.[1]
    ?.trim()
    .replace(/^"|"$/g, '')
    .toLowerCase();
  if (charset === undefined) {
    out.push(
      makeFinding(
        'content-type-charset',
        'The error answer is application/json without `charset=utf-8`.',
        exchange,
        site,
        focus,
      ),
    );
  } else if (charset !== 'utf-8' && charset !== 'utf8') {
    out.push(
      makeFinding(
        'content-type',
        `The error answer declares charset=${charset}; the contract's is utf-8.`,
        exchange,
        site,
        focus,
      ),
    );
  }
  return true;
}

function checkBody(exchange: Exchange, site: FindingSite, out: Finding[]): void {
  if (STACK_FRAME.test(exchange.body)) {
    out.push(makeFinding('stack-trace', 'The error body shows a stack trace.', exchange, site));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(exchange.body);
  } catch {
    const what = exchange.body.trim() === '' ? 'empty' : 'not JSON';
    out.push(
      makeFinding('body-json', `The error body is ${what}.`, exchange, site, {
        received: ['Content-Type'],
      }),
    );
    return;
  }
  for (const violation of validateErrorBody(parsed)) {
    out.push(makeFinding(`body-${violation.rule}`, violation.message, exchange, site));
  }
  const description = (parsed as { description?: unknown } | null)?.description;
  if (typeof description === 'string' && description !== '' && description.trim() === '') {
    out.push(
      makeFinding('description-blank', '`description` is only white space.', exchange, site),
    );
  }
}

function checkStatusHeaders(exchange: Exchange, site: FindingSite, out: Finding[]): void {
  const { status, headers } = exchange.response;
  if (status === 401) {
    const challenge = headers['www-authenticate'];
    const focus = { received: ['WWW-Authenticate'] };
    if (challenge === undefined) {
      out.push(
        makeFinding('www-authenticate', 'A 401 without WWW-Authenticate.', exchange, site, focus),
      );
    } else if (!/^OAuth\s+realm=/i.test(challenge.trim())) {
      out.push(
        makeFinding(
          'www-authenticate-scheme',
          `The challenge is \`${challenge}\`; the documented one is \`OAuth realm=…\`.`,
          exchange,
          site,
          focus,
        ),
      );
    }
  }
  if (status === 405 && headers['allow'] === undefined) {
    out.push(makeFinding('allow', 'A 405 without Allow.', exchange, site, { received: ['Allow'] }));
  }
  if (status === 429 || status === 503) {
    const value = headers['retry-after'];
    const focus = { received: ['Retry-After'] };
    if (value === undefined) {
      if (status === 429) {
        out.push(makeFinding('retry-after', 'A 429 without Retry-After.', exchange, site, focus));
      }
    } else if (parseRetryAfter(value) === undefined) {
      out.push(
        makeFinding(
          'retry-after-invalid',
          `Retry-After \`${value}\` is neither whole seconds nor an HTTP-date.`,
          exchange,
          site,
          focus,
        ),
      );
    }
  }
}

function checkEcho(exchange: Exchange, site: FindingSite, out: Finding[]): void {
  const pairs = [
    ['MS-RequestId', exchange.requestId, 'request-id-echo'],
    ['MS-CorrelationId', exchange.correlationId, 'correlation-id-echo'],
  ] as const;
  for (const [name, sent, rule] of pairs) {
    const back = exchange.response.headers[name.toLowerCase()];
    if (back === sent) continue;
    const message =
      back === undefined
        ? `The ${name} sent does not come back.`
        : `${name} comes back as \`${back}\`, not the \`${sent}\` sent.`;
    out.push(makeFinding(rule, message, exchange, site, { sent: [name], received: [name] }));
  }
}

/**
 * Every finding about one answer. Statuses below 400 are not error answers and are not
 * held to the error contract; a missing answer is a finding of its own.
 */
export function checkErrorResponse(exchange: Exchange, site: FindingSite): Finding[] {
  const out: Finding[] = [];
  if (exchange.failure) {
    out.push(makeFinding('no-response', `No answer came: ${exchange.failure}.`, exchange, site));
    return out;
  }
  if (exchange.response.status < 400) return out;
  checkContentType(exchange, site, out);
  checkBody(exchange, site, out);
  checkStatusHeaders(exchange, site, out);
  checkEcho(exchange, site, out);
  return out;
}
