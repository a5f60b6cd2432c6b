/**
 * The proxy: every request forwarded to one upstream over a keep-alive pool (undici), bodies
 * streamed both ways; fault rules played in front of it; every upstream error answer held
 * to the contract; every exchange recorded when asked, and shown live on the dashboard while
 * a page streams.
 */

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkAnswer } from '@apifault/conformance';
import { DEFAULT_REALM } from '@apifault/contract';
import {
  BodyRecorder,
  Dashboard,
  ExchangeFeed,
  MAX_RECORDED_BODY,
  Traffic,
} from '@apifault/dashboard';
import {
  declaresBody,
  type HeadersRecord,
  type ResolvedOptions,
  resolveOptions,
  sendError,
  upstreamNetworkError,
} from '@apifault/server';
import {
  FaultEngine,
  type FaultRule,
  injectedError,
  partnerCenterWire,
  type WireFormat,
} from '@apifault/server/faults';
import { type Dispatcher, Pool } from 'undici';
import { controlRoute } from './control-routes.js';
import { forwardedRequestHeaders } from './forwarded-headers.js';
import { HarRecorder } from './har.js';
import { endToEndHeaders, type HeaderMap } from './hop-by-hop.js';
import { LiveExchange } from './live-traffic.js';
import { type CheckedAnswer, ViolationLog } from './violations.js';

/** Options of {@link startProxy}. */
export interface ProxyOptions {
  /** The API to forward to: `http://` or `https://`, with any base path. */
  upstream: string | URL;
  /** The port to listen on; 0 picks a free one. @default 8081 */
  port?: number;
  /** The address to listen on. @default '127.0.0.1' */
  host?: string;
  /** The fault rules in force from the start (see `parseFaultRule`). @default [] */
  faults?: readonly FaultRule[];
  /** The seed of the rules' probabilities: the same seed and traffic replay the same faults. @default Date.now() */
  seed?: number;
  /**
   * How long the upstream may take to start its answer (and to send each next part of it),
   * in ms; past it the proxy answers 504.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * How an injected 429 looks: `partner-center`, as the real service sends it
   * (`{"statusCode":429,"message":…}`), or `contract`, the contract's error body.
   * @default 'partner-center'
   */
  wire?: WireFormat;
  /** Keep every exchange for a HAR file (see {@link RunningProxy.har}). @default false */
  record?: boolean;
  /**
   * Certificates to trust for an HTTPS upstream besides the system's and Node's own (PEM).
   * @default none
   */
  ca?: string | readonly string[];
  /** Called with each checked upstream error answer that broke a rule. @default none */
  onViolation?: (answer: CheckedAnswer) => void;
}

/** A proxy that is listening. */
export interface RunningProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** The fault rules in force; `replace` and `clear` change them at run time. */
  readonly faults: FaultEngine;
  /** The upstream error answers checked so far and the rules they broke. */
  readonly violations: ViolationLog;
  /** The exchanges recorded so far (undefined without `record`). */
  readonly har: HarRecorder | undefined;
  /** Stops listening, ends hung and open requests, and closes the upstream pool. */
  close(): Promise<void>;
}

/** The most bytes of an error answer's body read for its check. */
const CHECKED_BODY_BYTES = 64 * 1024;
/** The most bytes of a body kept in a recording; the rest is counted, not kept. */
const RECORDED_BODY_BYTES = 8 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The request's chunks, each given to `tap` as the upstream request reads it: nothing is read
 * from the client before the upstream request asks for it.
 */
async function* tapped(req: IncomingMessage, tap: BodyRecorder): AsyncGenerator<Buffer> {
  for await (const chunk of req as AsyncIterable<Buffer>) {
    tap.add(chunk);
    yield chunk;
  }
}

/**
 * The roots an HTTPS upstream is checked against, or undefined for Node's defaults (its own
 * and `NODE_EXTRA_CA_CERTS`): where this Node can read the system store (22.15 and later),
 * the defaults and the system's; then `extra`. A `ca` replaces the defaults in Node's TLS,
 * hence they are listed too.
 */
async function trustedRoots(extra: readonly string[]): Promise<string[] | undefined> {
  const tls = await import('node:tls');
  const read = (tls as { getCACertificates?: (kind: string) => string[] }).getCACertificates;
  if (typeof read === 'function') {
    try {
      return [...read('default'), ...read('system'), ...extra];
    } catch {
      // No readable system store: the defaults below.
    }
  }
  return extra.length === 0 ? undefined : [...tls.rootCertificates, ...extra];
}

/** Starts a proxy in front of `options.upstream`. */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const upstream = new URL(options.upstream);
  if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') {
    throw new TypeError(
      `the upstream must be an http:// or https:// URL, not ${upstream.protocol}`,
    );
  }
  const basePath = upstream.pathname.replace(/\/$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const seed = options.seed ?? Date.now();
  const faults = new FaultEngine(options.faults ?? [], seed);
  const violations = new ViolationLog();
  const har = options.record ? new HarRecorder() : undefined;
  const ca =
    upstream.protocol === 'https:'
      ? await trustedRoots(options.ca === undefined ? [] : [options.ca].flat())
      : undefined;
  const pool: Dispatcher = new Pool(upstream.origin, {
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    ...(ca === undefined ? {} : { connect: { ca } }),
  });
  const exchanges = new ExchangeFeed();
  const traffic = new Traffic(exchanges);
  const dashboard = new Dashboard(traffic, {
    name: 'apifault proxy',
    panels: ['traffic', 'faults'],
  });
  /** The exchanges being recorded for the dashboard, by their request's headers. */
  const live = new WeakMap<HeadersRecord, LiveExchange>();
  const wire =
    (options.wire ?? 'partner-center') === 'partner-center' ? partnerCenterWire : undefined;
  const errors: ResolvedOptions = resolveOptions({
    source: 'PartnerFD',
    // An error the proxy answers itself is seen as it is rendered.
    onRender(rendered, exchange) {
      const answer = wire ? wire(rendered) : rendered;
      live.get(exchange.headers)?.answered(answer.status, answer.headers, answer.json);
      return answer;
    },
  });
  const hung = new Set<ServerResponse>();

  const answerError = (req: IncomingMessage, res: ServerResponse, error: unknown): void => {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    sendError(req, res, error, errors);
  };

  const forward = async (
    req: IncomingMessage,
    res: ServerResponse,
    rule: FaultRule | undefined,
    recording: LiveExchange | undefined,
  ): Promise<void> => {
    const started = new Date();
    const target = req.url ?? '/';
    const method = req.method ?? 'GET';
    const headers = forwardedRequestHeaders(req, upstream.host);
    // Node already answered any `Expect: 100-continue`; undici refuses the header.
    delete headers.expect;
    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    let requestTap: BodyRecorder | undefined;
    let body: Readable | null = null;
    if (declaresBody(req.headers)) {
      if (har || recording) {
        // One tap for the HAR file and the dashboard.
        requestTap = new BodyRecorder(har ? RECORDED_BODY_BYTES : MAX_RECORDED_BODY);
        if (recording) recording.requestBody = requestTap;
        body = Readable.from(tapped(req, requestTap), { objectMode: false });
      } else body = req;
    }
    let answer: Dispatcher.ResponseData;
    try {
      answer = await pool.request({
        method: method as Dispatcher.HttpMethod,
        path: basePath + target,
        headers: headers as Record<string, string | string[]>,
        body,
        signal: abort.signal,
      });
    } catch (error) {
      if (abort.signal.aborted) return; // the client went away: nobody to answer
      answerError(req, res, upstreamNetworkError(error, upstream.host, 'apifault-proxy'));
      return;
    }
    const waitMs = Date.now() - started.getTime();
    const { statusCode } = answer;
    const responseHeaders = endToEndHeaders(answer.headers as HeaderMap);
    const checked = statusCode >= 400;
    const tap =
      har || checked || recording
        ? new BodyRecorder(har ? RECORDED_BODY_BYTES : CHECKED_BODY_BYTES)
        : undefined;
    const finish = (): void => {
      const bytes = tap?.kept() ?? Buffer.alloc(0);
      if (checked) {
        const found: CheckedAnswer = {
          time: started.toISOString(),
          method,
          target,
          status: statusCode,
          violations: checkAnswer({
            method,
            target,
            requestHeaders: req.headers,
            status: statusCode,
            headers: responseHeaders,
            body: bytes.subarray(0, CHECKED_BODY_BYTES).toString('utf8'),
          }),
        };
        violations.add(found);
        if (found.violations.length > 0) options.onViolation?.(found);
      }
      har?.add({
        started,
        method,
        url: upstream.origin + basePath + target,
        httpVersion: req.httpVersion,
        requestHeaders: headers,
        requestBody: requestTap?.kept(),
        status: statusCode,
        responseHeaders,
        responseBody: bytes,
        waitMs,
        totalMs: Date.now() - started.getTime(),
      });
    };
    if (rule?.action.type === 'upstream-delay') await sleep(rule.delayMs);
    // The upstream's Date goes through as it is, not the proxy's.
    res.sendDate = false;
    if (rule?.action.type === 'truncate') {
      const whole = Buffer.from(await answer.body.arrayBuffer());
      tap?.add(whole);
      res.writeHead(statusCode, responseHeaders);
      recording?.answered(statusCode, responseHeaders, tap);
      res.write(whole.subarray(0, Math.floor(whole.length / 2)), () => res.destroy());
      return;
    }
    res.writeHead(statusCode, responseHeaders);
    recording?.answered(statusCode, responseHeaders, tap);
    if (tap) answer.body.on('data', tap.add);
    // `pipe`, not `stream.pipeline`: the client hanging up already aborts the upstream request
    // (above), so all that is left is an upstream failing mid-body, which cuts the answer;
    // `pipeline` would add an AbortController and an end-of-stream watch per request.
    answer.body.once('error', () => res.destroy());
    res.once('finish', finish);
    answer.body.pipe(res);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const query = target.indexOf('?');
    const path = query === -1 ? target : target.slice(0, query);
    const control = controlRoute(method, path, faults, seed, dashboard);
    if (control) {
      await control(req, res, errors);
      return;
    }
    // Recorded only while a dashboard streams; the control routes' own traffic never.
    let recording: LiveExchange | undefined;
    if (exchanges.watched) {
      if (exchanges.admit()) {
        recording = new LiveExchange(req, res, path, exchanges);
        live.set(req.headers, recording);
      } else {
        // Past the second's budget: counted by its status only.
        res.once('close', () => exchanges.skip(res.headersSent ? res.statusCode : 0));
      }
    }
    const rule = faults.match(method, path);
    if (rule === undefined) return forward(req, res, undefined, recording);
    if (rule.action.type !== 'upstream-delay' && rule.delayMs > 0) await sleep(rule.delayMs);
    switch (rule.action.type) {
      case 'status':
        sendError(
          req,
          res,
          injectedError(
            rule.action.status,
            `Fault rule ${rule.method} ${rule.path}`,
            DEFAULT_REALM,
            rule.retryAfter,
          ),
          errors,
        );
        return;
      case 'hang':
        hung.add(res);
        res.once('close', () => hung.delete(res));
        return;
      case 'drop':
        req.socket.destroy();
        return;
      default:
        return forward(req, res, rule, recording);
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => answerError(req, res, error));
  });
  server.listen(options.port ?? 8081, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    faults,
    violations,
    har,
    async close() {
      traffic.close();
      for (const res of hung) res.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await pool.close();
    },
  };
}
