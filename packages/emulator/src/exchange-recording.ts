/**
 * The pipeline stage that records the emulator's exchanges for its dashboard: each request's
 * method, path, ids, partner, headers and bodies, published to the exchange feed once the
 * response is finished or the connection closed. Nothing is recorded while nobody listens.
 */

import type { IncomingMessage } from 'node:http';
import {
  BodyRecorder,
  type CompletedExchange,
  type ExchangeFeed,
  MAX_RECORDED_BODY,
  RecordedBody,
} from '@apifault/dashboard';
import {
  type Context,
  declaresBody,
  type Exchange,
  type ObservedResponse,
  type Stage,
} from '@apifault/server';
import { isControlPath } from './control-plane.js';
import type { Principal } from './tokens/tokens.js';

/** The exchange `createApp` runs its stages on. */
type ExchangeContext = Exchange & Context;

/**
 * Records the body a route reads: a `data` listener added at the moment the route's reader
 * adds its own, so both see the same chunks and a body nobody reads is left alone (adding
 * one earlier would start the flow before the reader listens, and it would miss chunks).
 * A request that declares no body is not watched at all.
 */
function recordRequestBody(req: IncomingMessage, recorder: BodyRecorder): void {
  if (!declaresBody(req.headers)) return;
  let listening = false;
  const onNewListener = (event: string | symbol): void => {
    if (event !== 'data' || listening) return;
    listening = true;
    req.off('newListener', onNewListener);
    req.on('data', recorder.add);
  };
  req.on('newListener', onNewListener);
}

function record(feed: ExchangeFeed, ex: ExchangeContext): void {
  const arrived = Date.now();
  const started = performance.now();
  // Not `ex.res`: taking the response would make the adapter write its headers one by one.
  const req = ex.req;
  const requestBody = new BodyRecorder();
  recordRequestBody(req, requestBody);
  // The answer as the pipeline saw it written, through the same observation as the
  // idempotency stage's; reported once the connection is done with, answered or not.
  let answer: ObservedResponse | undefined;
  ex.observeResponse(
    (response) => {
      answer = response;
    },
    { maxBodyBytes: MAX_RECORDED_BODY },
  );
  ex.onClose(() => {
    const exchange: CompletedExchange = {
      time: new Date(arrived).toISOString(),
      method: ex.method,
      path: ex.path,
      target: ex.target,
      secure: (req.socket as { encrypted?: boolean }).encrypted === true,
      status: answer?.status ?? 0,
      durationMs: Math.round((performance.now() - started) * 1e3) / 1e3,
      requestId: ex.requestId,
      correlationId: ex.correlationId,
      partner: (ex.principal as Principal | undefined)?.partnerTenantId,
      // No answer was written before the connection closed.
      aborted: answer === undefined,
      requestHeaders: req.headers,
      requestBody: requestBody.body(),
      responseHeaders: answer?.headers ?? {},
      // A HEAD's body is never sent, whatever the route wrote.
      responseBody:
        ex.method === 'HEAD' || answer?.body === undefined || answer.bodyLength === 0
          ? undefined
          : new RecordedBody(answer.body, answer.bodyLength),
    };
    feed.publish(exchange);
  });
}

/** Reports an exchange past the second's budget by its status alone, for the counts. */
function count(feed: ExchangeFeed, ex: ExchangeContext): void {
  let status = 0;
  ex.observeResponse(
    (response) => {
      status = response?.status ?? 0;
    },
    { maxBodyBytes: 0 },
  );
  ex.onClose(() => feed.skip(status));
}

/**
 * The stage that records requests into `feed`, placed first. The control plane's own traffic
 * (`/_emulator/*`: the dashboard's page, stream and polling among it) is not recorded.
 */
export function exchangeRecording(feed: ExchangeFeed): Stage<ExchangeContext> {
  return {
    name: 'exchange-feed',
    before: 'availability',
    run: (ex) => {
      if (!feed.watched || isControlPath(ex.path)) return;
      if (feed.admit()) record(feed, ex);
      else count(feed, ex);
    },
  };
}
