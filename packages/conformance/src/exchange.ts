/** Sends one probe request with its own request ids and a timeout, and captures the answer. */

import { randomUUID } from 'node:crypto';
import { REDACTED } from '@apifault/client';
import { TargetUnreachableError } from './target-unreachable-error.js';
import type { FetchLike, ReceivedResponse, SentRequest } from './types.js';

/** The most body bytes read from a response; the rest is dropped unread. */
const BODY_READ_LIMIT = 64 * 1024;
/** The most body characters kept in the report. */
const BODY_REPORT_LIMIT = 4096;

/** A token no API can accept. */
export const GARBAGE_TOKEN = 'apifault.garbage.token';

/** What every probe needs to send requests. */
export interface SendContext {
  /** The base URL without a trailing slash. */
  baseUrl: string;
  token: string | undefined;
  fetch: FetchLike;
  timeoutMs: number;
  /** Set once the target answered anything: a failure before that means it is unreachable. */
  reached: boolean;
}

/** What a probe asks to send. */
export interface Outgoing {
  method: string;
  /** The path under the base URL, starting with `/`. */
  path: string;
  /** Extra headers (they win over the defaults). */
  headers?: Record<string, string>;
  body?: string;
  /** Which credential to send. @default 'token' (the user's, when there is one) */
  auth?: 'token' | 'none' | 'garbage';
  /** A shorter timeout than the run's, in ms (the burst's deadline). */
  timeoutMs?: number;
}

/** A request and its answer. */
export interface Exchange {
  request: SentRequest;
  response: ReceivedResponse;
  /** The body as read (up to 64 KiB), for checks. */
  body: string;
  /** Why no answer came, when none did. */
  failure?: string;
  requestId: string;
  correlationId: string;
  /** From sending to the end of the body (or the failure), in ms. */
  durationMs: number;
}

/** Joins the base URL and a path. */
export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl + (path.startsWith('/') ? path : `/${path}`);
}

function redact(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'authorization') {
      const scheme = value.split(' ')[0] ?? '';
      // The client's redaction marker, so reports and client logs read alike.
      out[name] = value === `Bearer ${GARBAGE_TOKEN}` ? value : `${scheme} ${REDACTED}`;
    } else {
      out[name] = value;
    }
  }
  return out;
}

async function readBounded(response: Response): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    if (total >= BODY_READ_LIMIT) {
      truncated = true;
      // The rest is not needed: stop the transfer instead of draining it.
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  const bytes = Buffer.concat(chunks).subarray(0, BODY_READ_LIMIT);
  return { text: new TextDecoder('utf-8').decode(bytes), truncated };
}

/** Why a request got no answer, in a word where possible (`ECONNREFUSED`, `timed out`). */
export function failureReason(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    if (cause && typeof cause.code === 'string') return cause.code;
    if (cause && typeof cause.message === 'string') return cause.message;
    return error.message;
  }
  return String(error);
}

/**
 * Sends `outgoing` and captures the answer. A network failure becomes an exchange with
 * status 0, unless the target never answered anything yet: then it is unreachable.
 */
export async function send(context: SendContext, outgoing: Outgoing): Promise<Exchange> {
  const requestId = randomUUID();
  const correlationId = randomUUID();
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'MS-RequestId': requestId,
    'MS-CorrelationId': correlationId,
  };
  const auth = outgoing.auth ?? 'token';
  if (auth === 'token' && context.token) headers['Authorization'] = `Bearer ${context.token}`;
  if (auth === 'garbage') headers['Authorization'] = `Bearer ${GARBAGE_TOKEN}`;
  Object.assign(headers, outgoing.headers);
  const url = joinUrl(context.baseUrl, outgoing.path);
  const request: SentRequest = { method: outgoing.method, url, headers: redact(headers) };
  if (outgoing.body !== undefined) request.body = outgoing.body;
  const init: RequestInit = {
    method: outgoing.method,
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(Math.min(context.timeoutMs, outgoing.timeoutMs ?? Infinity)),
  };
  if (outgoing.body !== undefined) init.body = outgoing.body;
  const started = performance.now();
  try {
    const response = await context.fetch(url, init);
    context.reached = true;
    const { text, truncated } = await readBounded(response);
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name.toLowerCase()] = value;
    });
    return {
      request,
      response: {
        status: response.status,
        headers: responseHeaders,
        bodyText: text.length > BODY_REPORT_LIMIT ? text.slice(0, BODY_REPORT_LIMIT) : text,
        bodyTruncated: truncated || text.length > BODY_REPORT_LIMIT,
      },
      body: text,
      requestId,
      correlationId,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    const reason = failureReason(error);
    if (!context.reached) throw new TargetUnreachableError(context.baseUrl, reason);
    return {
      request,
      response: { status: 0, headers: {}, bodyText: '', bodyTruncated: false },
      body: '',
      failure: reason,
      requestId,
      correlationId,
      durationMs: Math.round(performance.now() - started),
    };
  }
}

function snippet(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A short account of what was sent: method, path and the headers that matter to the probe. */
export function describeSent(exchange: Exchange, baseUrl: string, shown: string[] = []): string {
  const { request } = exchange;
  const path = request.url.startsWith(baseUrl) ? request.url.slice(baseUrl.length) : request.url;
  const parts = [`${request.method} ${path || '/'}`];
  for (const name of shown) {
    const entry = Object.entries(request.headers).find(
      ([key]) => key.toLowerCase() === name.toLowerCase(),
    );
    parts.push(entry ? `${entry[0]}: ${entry[1]}` : `no ${name}`);
  }
  if (request.body !== undefined) parts.push(`body ${JSON.stringify(snippet(request.body, 40))}`);
  return parts.join(', ');
}

/** A short account of what came back: status, the headers that matter and a body excerpt. */
export function describeReceived(exchange: Exchange, shown: string[] = []): string {
  if (exchange.failure) return `no answer (${exchange.failure})`;
  const { response } = exchange;
  const parts = [String(response.status)];
  for (const name of shown) {
    const value = response.headers[name.toLowerCase()];
    parts.push(value === undefined ? `no ${name}` : `${name}: ${value}`);
  }
  parts.push(
    response.bodyText === '' ? 'empty body' : `body ${JSON.stringify(snippet(exchange.body))}`,
  );
  return parts.join(', ');
}
