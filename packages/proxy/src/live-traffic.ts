/**
 * The proxy's exchanges for the dashboard's live traffic: while a page streams, each request
 * the proxy forwards or answers itself is recorded (its headers, the first bytes of its
 * bodies through the taps the forwarding already has) and published to the feed once its
 * connection is done with, answered or not.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyRecorder, type CompletedExchange, type ExchangeFeed } from '@apifault/dashboard';

type Headers = Readonly<Record<string, string | readonly string[] | number | undefined>>;

function firstValue(value: string | readonly string[] | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value[0] : String(value);
}

/** One exchange being recorded; published when its response closes. */
export class LiveExchange {
  readonly #req: IncomingMessage;
  readonly #path: string;
  readonly #arrived = Date.now();
  readonly #started = performance.now();
  #status = 0;
  #headers: Headers = {};
  #body: BodyRecorder | undefined;
  /** The tap on the request body, when it is forwarded. */
  requestBody: BodyRecorder | undefined;

  /** Starts recording the exchange of `req` on `res` (at `path`, without the query) into `feed`. */
  constructor(req: IncomingMessage, res: ServerResponse, path: string, feed: ExchangeFeed) {
    this.#req = req;
    this.#path = path;
    res.once('close', () => feed.publish(this.#completed()));
  }

  /** The answer's head as written, and its body: the tap on it, or the whole of it. */
  answered(status: number, headers: Headers, body: BodyRecorder | string | undefined): void {
    this.#status = status;
    this.#headers = headers;
    if (typeof body === 'string') {
      this.#body = new BodyRecorder();
      this.#body.add(Buffer.from(body));
    } else this.#body = body;
  }

  #completed(): CompletedExchange {
    const req = this.#req;
    const id = (name: string): string =>
      firstValue(req.headers[name]) ?? firstValue(this.#headers[name]) ?? '';
    return {
      time: new Date(this.#arrived).toISOString(),
      method: req.method ?? 'GET',
      path: this.#path,
      target: req.url ?? '/',
      secure: false,
      status: this.#status,
      durationMs: Math.round((performance.now() - this.#started) * 1e3) / 1e3,
      requestId: id('ms-requestid'),
      correlationId: id('ms-correlationid'),
      // The proxy verifies no token.
      partner: undefined,
      aborted: this.#status === 0,
      requestHeaders: req.headers,
      requestBody: this.requestBody?.body(),
      responseHeaders: this.#headers,
      // A HEAD's body is never sent.
      responseBody: req.method === 'HEAD' ? undefined : this.#body?.body(),
    };
  }
}
