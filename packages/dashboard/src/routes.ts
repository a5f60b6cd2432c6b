/**
 * The dashboard's routes, on node:http's request and response, for a host to call from its
 * own router: the page (`/_emulator/`) and its files (`/_emulator/ui/*`), which hold no data;
 * the live traffic stream (`/_emulator/events`) and a recorded exchange
 * (`/_emulator/exchanges/:seq`), which a host guards as it guards its control routes. Bad
 * input is thrown as a contract error, for the host's error path to answer. The page drives
 * the host through its JSON control routes, like any client.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, notFound } from '@apifault/contract';
import {
  type Asset,
  CONTENT_SECURITY_POLICY,
  type DashboardHost,
  dashboardAssets,
} from './assets.js';
import type { ExchangeDetails } from './exchange-details.js';
import type { Traffic } from './traffic.js';

/** The page's address. */
export const DASHBOARD_PATH = '/_emulator/';

/** The live traffic stream's address. */
export const EVENTS_PATH = '/_emulator/events';

const ASSETS_PREFIX = '/_emulator/ui/';
const EXCHANGES_PREFIX = '/_emulator/exchanges/';

const EVENT_STREAM = ['text/event-stream'] as const;
const PAGE = ['text/html'] as const;

/** Headers a host adds to every answer of the dashboard (its request ids). */
export type AnswerHead = Readonly<Record<string, string>>;

/** One of the dashboard's routes; throws a contract error on bad input. */
export type DashboardHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  head?: AnswerHead,
) => void;

/**
 * The media types the dashboard's routes answer in besides JSON (for a server's `produces`
 * option): a request that asks for them with `Accept` is not refused 406.
 */
export function dashboardMediaTypes(exchange: {
  readonly path: string;
}): readonly string[] | undefined {
  if (exchange.path === EVENTS_PATH) return EVENT_STREAM;
  if (exchange.path === DASHBOARD_PATH) return PAGE;
  return undefined;
}

/** The dashboard of one host: its page's files, its live traffic. */
export class Dashboard {
  readonly #traffic: Traffic;
  readonly #assets: ReadonlyMap<string, Asset>;

  /** Reads the page's files; `host` tells the page which tool it is and which panels to show. */
  constructor(traffic: Traffic, host: DashboardHost) {
    this.#traffic = traffic;
    this.#assets = dashboardAssets(host);
  }

  /** `/_emulator` → 308 to the page. */
  redirect(res: ServerResponse, head: AnswerHead = {}): void {
    res.writeHead(308, { ...head, location: DASHBOARD_PATH });
    res.end();
  }

  /** Serves the page's file `name` (`index.html` is the page); 404 for any other name. */
  asset(res: ServerResponse, name: string, head: AnswerHead = {}): void {
    const asset = this.#assets.get(name);
    if (asset === undefined) throw notFound(`The dashboard has no file ${name}.`);
    res.writeHead(200, {
      ...head,
      'content-type': asset.type,
      'content-length': String(asset.body.length),
      'cache-control': 'no-cache',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(asset.body);
  }

  /** Streams the live traffic on `res` until the page goes away or the traffic is closed. */
  events(res: ServerResponse, head: AnswerHead = {}): void {
    this.#traffic.open(res, { ...head });
  }

  /** The details of recorded exchange `seq` (as the path gives it), redacted; 400 or 404 when there is none. */
  exchange(seq: string): ExchangeDetails {
    if (!/^[1-9]\d{0,15}$/.test(seq)) {
      throw badRequest({
        description: 'Invalid request input: the exchange number must be a positive integer.',
        expose: true,
      });
    }
    const details = this.#traffic.details(Number(seq));
    if (details === undefined) {
      throw notFound(
        `Exchange ${seq} is no longer kept: the dashboard keeps the last ones while a page is open.`,
      );
    }
    return details;
  }

  /**
   * The handler of the dashboard's route at `path`, or undefined when it is none, for a host
   * without a router: `GET` and `HEAD` only (405 otherwise); the details of an exchange are
   * answered as JSON.
   */
  route(path: string): DashboardHandler | undefined {
    let serve: (res: ServerResponse, head: AnswerHead) => void;
    if (path === '/_emulator') serve = (res, head) => this.redirect(res, head);
    else if (path === DASHBOARD_PATH) serve = (res, head) => this.asset(res, 'index.html', head);
    else if (path === EVENTS_PATH) serve = (res, head) => this.events(res, head);
    else if (path.startsWith(ASSETS_PREFIX) && !path.includes('/', ASSETS_PREFIX.length)) {
      const name = decodeName(path.slice(ASSETS_PREFIX.length));
      serve = (res, head) => this.asset(res, name, head);
    } else if (path.startsWith(EXCHANGES_PREFIX) && !path.includes('/', EXCHANGES_PREFIX.length)) {
      const seq = path.slice(EXCHANGES_PREFIX.length);
      serve = (res, head) => sendJson(res, this.exchange(seq), head);
    } else return undefined;
    return (req, res, head = {}) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        throw new ApiError({
          status: 405,
          headers: { allow: 'GET, HEAD' },
          description: `${req.method} is not allowed on ${path}.`,
          expose: true,
        });
      }
      serve(res, head);
    };
  }
}

/** A path segment as a file name; one that does not decode names no file. */
function decodeName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function sendJson(res: ServerResponse, value: unknown, head: AnswerHead): void {
  const body = JSON.stringify(value);
  res.writeHead(200, {
    ...head,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
  });
  res.end(body);
}
