/** The Fastify 5 adapter: a root-level plugin with the error and not-found handlers, 405 + Allow from the routes seen by `onRoute`, and the contract's JSON body parser. */

import type { Readable } from 'node:stream';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
  RouteOptions,
} from 'fastify';
import { readJsonStream } from '../body/node.js';
import { type ApifaultOptions, type ResolvedOptions, resolveOptions } from '../options.js';
import { type RenderedError, renderError, renderParts } from '../render/index.js';
import { type RequestIds, resolveRequestIds } from '../request-ids/index.js';
import { isStandardMethod, RouteTable } from '../routing/index.js';
import { answerBareRequests, clientErrorListener } from './node.js';
import { admit, missParts, unknownMethodParts } from './pipeline.js';

/** What the adapter keeps per request, in `request.apifault`. */
export interface ApifaultRequestState extends RequestIds {
  /** What the auth verifier returned, when authentication is configured. */
  principal?: unknown;
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

function stateOf(request: FastifyRequest): RequestIds {
  return request.apifault ?? resolveRequestIds(request.headers);
}

function send(reply: FastifyReply, rendered: RenderedError, options: ResolvedOptions): void {
  if (reply.sent || reply.raw.headersSent) {
    options.logger.error(
      { status: rendered.status, requestId: rendered.headers['ms-requestid'] },
      'apifault: error after the response started; connection closed',
    );
    reply.raw.destroy();
    return;
  }
  reply.code(rendered.status).headers(rendered.headers).send(rendered.json);
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

const pathOfRequest = (request: FastifyRequest): string => pathOf(request.url);

/**
 * The Fastify plugin. Register it FIRST (its `onRoute` hook only sees routes added after
 * it): it sets the ids, answers unknown methods 501, checks `Accept` (406) and auth
 * (401/403), renders every error with the contract, and turns Fastify's 404 into a 405 with
 * `Allow` when the path exists with other methods.
 *
 * @example await app.register(apifault, { source: 'billing' })
 */
export function apifault(
  fastify: FastifyInstance,
  options: ApifaultFastifyOptions,
  done: (err?: Error) => void,
): void {
  const resolved = resolveOptions(options);
  const table = new RouteTable<true>();

  fastify.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) table.add(String(method).toUpperCase(), route.url, true);
  });

  fastify.decorateRequest('apifault', null);
  // An unmet Expect and CONNECT never reach Fastify: Node would answer them bare.
  answerBareRequests(fastify.server, resolved);

  // The one hook on every request. It stays synchronous and allocates only the state object
  // unless authentication is configured: the success path pays for the ids and nothing else.
  fastify.addHook('onRequest', (request, reply, next) => {
    const headers = request.headers;
    const state: ApifaultRequestState = resolveRequestIds(headers);
    request.apifault = state;
    reply.header('ms-requestid', state.requestId);
    reply.header('ms-correlationid', state.correlationId);
    const method = request.method;
    if (!isStandardMethod(method)) {
      send(
        reply,
        renderParts(unknownMethodParts(method)!, {
          options: resolved,
          headers,
          requestId: state.requestId,
          correlationId: state.correlationId,
        }),
        resolved,
      );
      return;
    }
    let admitted: Promise<unknown> | undefined;
    try {
      admitted = admit(resolved, method, headers, request, pathOfRequest);
    } catch (error) {
      next(error as Error);
      return;
    }
    if (admitted === undefined) {
      next();
      return;
    }
    admitted.then(
      (principal) => {
        state.principal = principal;
        next();
      },
      (error: Error) => next(error),
    );
  });

  if (options.parseJson !== false) {
    fastify.removeAllContentTypeParsers();
    // One catch-all parser: it checks the content type itself, so every adapter answers alike.
    fastify.addContentTypeParser('*', (request: FastifyRequest, payload: Readable, parsed) => {
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
    const ids = stateOf(request);
    const rendered = renderError(error, {
      options: resolved,
      headers: request.headers,
      requestId: ids.requestId,
      correlationId: ids.correlationId,
      method: request.method,
      path: pathOf(request.url),
    });
    send(reply, rendered, resolved);
  });

  fastify.setNotFoundHandler((request, reply) => {
    const method = request.method;
    let parts = unknownMethodParts(method);
    if (!parts) {
      const match = table.match(method, pathOf(request.url));
      // Found here means a route Fastify did not match (constraints): still a 404.
      parts = match.kind === 'found' ? missParts({ kind: 'not-found' }) : missParts(match);
    }
    const ids = stateOf(request);
    send(
      reply,
      renderParts(parts, {
        options: resolved,
        headers: request.headers,
        requestId: ids.requestId,
        correlationId: ids.correlationId,
      }),
      resolved,
    );
  });

  done();
}

/** The Fastify constructor options {@link serverOptions} sets. */
export type ApifaultServerOptions = Pick<
  FastifyServerOptions,
  'clientErrorHandler' | 'frameworkErrors'
>;

/**
 * Constructor options that put the contract on the answers Fastify gives before any plugin
 * runs: requests Node's parser refuses (`clientErrorHandler`) and URLs Fastify's router
 * refuses (`frameworkErrors`: a malformed percent-encoding, an over-long parameter). A plugin
 * cannot set these, so spread them into `Fastify(...)`.
 *
 * @example const app = Fastify({ ...serverOptions({ source: 'billing' }) })
 */
export function serverOptions(
  options: ApifaultOptions | ResolvedOptions = {},
): ApifaultServerOptions {
  const resolved = resolveOptions(options);
  return {
    clientErrorHandler: clientErrorListener(resolved),
    frameworkErrors(error, request, reply) {
      const rendered = renderError(error, {
        options: resolved,
        headers: request.headers,
        ...resolveRequestIds(request.headers),
        method: request.method,
        path: pathOf(request.url),
      });
      send(reply, rendered, resolved);
    },
  };
}

// fastify-plugin semantics without the dependency: no encapsulation, so the hooks and
// handlers apply to the whole application.
Object.assign(apifault, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'apifault',
});

export default apifault;
