/** The Fastify 5 adapter: Fastify's request and reply as the pipeline's exchange, its router for routing, its errors recognised. */

import { Readable } from 'node:stream';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
  RouteOptions,
} from 'fastify';
import { readJsonStream } from '../body/node.js';
import type { ApifaultOptions, ResolvedOptions } from '../options.js';
import {
  type AdapterParts,
  checkTarget,
  pathOfTarget,
  pipelineOf,
  routeMiss,
} from '../pipeline/index.js';
import { recognizeFastify } from '../recognize/fastify.js';
import { RouteTable } from '../routing/index.js';
import { FastifyExchange } from './fastify-exchange.js';
import { guardBody } from './node-exchange.js';
import { answerBareRequests, clientErrorListener } from './node-server.js';

/** What the adapter keeps per request, in `request.apifault`. */
export interface ApifaultRequestState {
  readonly requestId: string;
  readonly correlationId: string;
  /** What the auth verifier returned, when authentication is configured. */
  readonly principal: unknown;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Request ids and principal, set by the apifault plugin. */
    apifault: ApifaultRequestState | null;
  }
}

/** Options of the Fastify plugin. */
export interface ApifaultFastifyOptions extends ApifaultOptions {
  /**
   * Whether the plugin replaces Fastify's body parsers with the contract's JSON parser
   * (400 for other content types and malformed JSON, 413 over `bodyLimit`, 408 over
   * `bodyTimeoutMs`). Turn off to keep your own parsers; their errors are still mapped.
   * @default true
   */
  parseJson?: boolean;
}

const FASTIFY: AdapterParts<FastifyExchange> = { recognizers: [recognizeFastify] };

function exchangeOf(request: FastifyRequest, reply: FastifyReply): FastifyExchange {
  const kept = request.apifault;
  return kept instanceof FastifyExchange ? kept : new FastifyExchange(request, reply);
}

/**
 * The Fastify plugin. Register it FIRST (its `onRoute` hook only sees routes added after
 * it): its `onRequest` hook sets the ids and runs the pipeline's stages before routing; it
 * answers every error with the pipeline, and turns Fastify's 404 into a 405 with `Allow`
 * when the path exists with other methods.
 *
 * @example await app.register(apifault, { source: 'billing' })
 */
export function apifault(
  fastify: FastifyInstance,
  options: ApifaultFastifyOptions,
  done: (err?: Error) => void,
): void {
  const pipeline = pipelineOf(options, FASTIFY).requireAdmissionOnly('Fastify');
  const resolved = pipeline.options;
  const table = new RouteTable<true>();

  fastify.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) table.add(String(method).toUpperCase(), route.url, true);
  });

  fastify.decorateRequest('apifault', null);
  // An unmet Expect and CONNECT never reach Fastify: Node would answer them bare.
  answerBareRequests(fastify.server, resolved);

  fastify.addHook('onRequest', (request, reply, next) => {
    const exchange = new FastifyExchange(request, reply);
    guardBody(request.raw, reply.raw, resolved.bodyTimeoutMs);
    request.apifault = exchange;
    reply.header('ms-requestid', exchange.requestId);
    reply.header('ms-correlationid', exchange.correlationId);
    const admitted = pipeline.admit(exchange);
    if (admitted === true) next();
    else if (admitted !== false) admitted.then((ok) => ok && next());
  });

  if (resolved.idempotency !== undefined) {
    // The idempotency stage read the body to hash it: the parsers read its bytes instead.
    fastify.addHook('preParsing', (request, _reply, payload, next) => {
      const bytes = (request.apifault as FastifyExchange | null)?.bodyBytes;
      if (bytes === undefined) next(null, payload);
      else bytes.then((b) => next(null, Readable.from([b])), next);
    });
    fastify.addHook('onSend', (request, _reply, payload, next) => {
      (request.apifault as FastifyExchange | null)?.sent(payload);
      next(null, payload);
    });
  }

  if (options.parseJson !== false) {
    fastify.removeAllContentTypeParsers();
    // One catch-all parser: it checks the content type itself, so every adapter answers alike.
    fastify.addContentTypeParser('*', (request: FastifyRequest, payload: Readable, parsed) => {
      // No route: the 404/405 is the answer, whatever the body (left unread, see guardBody).
      if (request.is404) {
        parsed(null, undefined);
        return;
      }
      readJsonStream(payload, request.headers, {
        limit: resolved.bodyLimit,
        timeoutMs: resolved.bodyTimeoutMs,
      }).then(
        (body) => parsed(null, body),
        (error: Error) => parsed(error as FastifyError, undefined),
      );
    });
  }

  fastify.setErrorHandler((error, request, reply) => {
    pipeline.fail(exchangeOf(request, reply), error);
  });

  fastify.setNotFoundHandler((request, reply) => {
    const match = table.match(request.method, pathOfTarget(request.url));
    // Found here means a route Fastify did not match (constraints): still a 404.
    const miss = match.kind === 'found' ? ({ kind: 'not-found' } as const) : match;
    pipeline.fail(exchangeOf(request, reply), routeMiss(miss));
  });

  done();
}

/** The Fastify constructor options {@link serverOptions} sets. */
export type ApifaultServerOptions = Pick<
  FastifyServerOptions,
  'clientErrorHandler' | 'frameworkErrors' | 'routerOptions'
>;

/**
 * Constructor options that put the contract on the answers Fastify gives before any plugin
 * runs: requests Node's parser refuses (`clientErrorHandler`) and URLs Fastify's router
 * refuses (`frameworkErrors`), answered by the path policy as on every adapter; the router's
 * longest parameter is the policy's longest segment. A plugin cannot set these, so spread
 * them into `Fastify(...)`.
 *
 * @example const app = Fastify({ ...serverOptions(options) }); await app.register(apifault, options)
 */
export function serverOptions(
  options: ApifaultOptions | ResolvedOptions = {},
): ApifaultServerOptions {
  const pipeline = pipelineOf(options, FASTIFY);
  const resolved = pipeline.options;
  return {
    clientErrorHandler: clientErrorListener(resolved),
    routerOptions: { maxParamLength: resolved.target.maxSegmentLength },
    frameworkErrors(error, request, reply) {
      const exchange = new FastifyExchange(request, reply);
      try {
        // The router refused the URL: the path policy says why, in the words of every adapter.
        checkTarget(exchange.path, resolved.target);
      } catch (refusal) {
        pipeline.fail(exchange, refusal);
        return;
      }
      pipeline.fail(exchange, error);
    },
  };
}

// fastify-plugin semantics without the dependency: no encapsulation, so the hooks and
// handlers apply to the whole application.
Object.assign(apifault, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'apifault',
});

export { recognizeFastify };
export default apifault;
