/** The request pipeline: the stages in their order, run the same way by every adapter, and the one place errors are answered. */

import { checkAuth } from '../auth/index.js';
import { idempotencyStage } from '../idempotency/stage.js';
import { checkAccept } from '../negotiate/index.js';
import { unknownMethodError } from '../not-implemented/index.js';
import { type ApifaultOptions, type ResolvedOptions, resolveOptions } from '../options.js';
import { LIBRARY_RECOGNIZERS } from '../recognize/library-errors.js';
import {
  type ErrorParts,
  type ErrorRecognizer,
  errorParts,
  type RenderContext,
  type RenderedError,
  renderError,
  UNEXPECTED,
} from '../render/index.js';
import { isStandardMethod, type RouteMatch } from '../routing/index.js';
import type { Exchange } from './exchange.js';
import {
  orderStages,
  runStages,
  type Stage,
  type StagePoint,
  type StagesOutcome,
} from './stages.js';
import { checkTarget } from './target.js';

const NOT_FOUND = Object.freeze(errorParts({ status: 404 }));
/** The 431 of a request whose header fields are more than the server takes, in count or size. */
export const TOO_MANY_HEADERS = Object.freeze(
  errorParts({
    status: 431,
    description: 'The request has more header fields than the server accepts.',
  }),
);

/**
 * The 404 of a path no route has, or the 405 (with `Allow`) of a path routed for other
 * methods only.
 */
export function routeMiss(miss: Exclude<RouteMatch<unknown>, { kind: 'found' }>): ErrorParts {
  return miss.kind === 'not-found'
    ? NOT_FOUND
    : errorParts({ status: 405, headers: { Allow: miss.allow } });
}

/** The stages a pipeline builds from its options, before routing. */
function builtInStages(options: ResolvedOptions): Partial<Record<StagePoint, Stage>> {
  const stages: Partial<Record<StagePoint, Stage>> = {
    method: {
      name: 'method',
      run(ex) {
        if (!isStandardMethod(ex.method)) throw unknownMethodError(ex.method);
      },
    },
    target: {
      name: 'target',
      run(ex) {
        if (ex.headersTruncated) throw TOO_MANY_HEADERS;
        checkTarget(ex.path, options.target);
      },
    },
  };
  const { maintenance, loadShedding, auth, rateLimit, realm } = options;
  if (maintenance !== undefined || loadShedding !== undefined) {
    stages.availability = {
      name: 'availability',
      run(ex) {
        maintenance?.();
        if (loadShedding !== undefined) ex.onClose(loadShedding.enter());
      },
    };
  }
  if (options.checkAccept) {
    const { produces } = options;
    stages.accept = {
      name: 'accept',
      run(ex) {
        checkAccept(ex.headers, produces?.(ex));
      },
    };
  }
  if (auth !== undefined) {
    stages.auth = {
      name: 'auth',
      run(ex) {
        const principal = checkAuth(auth, ex, realm);
        if (principal instanceof Promise) {
          return principal.then((verified) => {
            ex.principal = verified;
          });
        }
        ex.principal = principal;
        return undefined;
      },
    };
  }
  if (rateLimit !== undefined) {
    stages['rate-limit'] = {
      name: 'rate-limit',
      run(ex) {
        return rateLimit.consume(ex).then((decision) => {
          for (const name in decision.headers) ex.setHeader(name, decision.headers[name]!);
        });
      },
    };
  }
  if (options.idempotency !== undefined) {
    stages.idempotency = idempotencyStage(options.idempotency, options);
  }
  return stages;
}

/** What an adapter gives the pipeline it builds. */
export interface AdapterParts<E extends Exchange> {
  /** Recognisers of the framework's own errors, tried before the application's and the libraries'. */
  readonly recognizers?: readonly ErrorRecognizer[];
  /** Where the pipeline routes (node:http): finds the route or throws its 404/405. */
  readonly routing?: Stage<E>;
  /** Where the pipeline routes: runs the route's handler and writes its answer. */
  readonly handler?: Stage<E>;
}

/**
 * The request pipeline. Every adapter builds one from its options and runs each request
 * through it: `admit` before its framework routes, `fail` for anything thrown, `run` where
 * the pipeline routes too.
 */
export class Pipeline<E extends Exchange = Exchange> {
  /** The resolved options. */
  readonly options: ResolvedOptions;
  readonly #admission: readonly Stage<E>[];
  readonly #dispatch: readonly Stage<E>[];
  readonly #recognizers: readonly ErrorRecognizer[];
  /**
   * The names of the application's stages placed at `routing` or later, when the adapter
   * gave no routing: its framework routes, so `admit` cannot run them. A framework adapter
   * refuses such options (see {@link Pipeline.requireAdmissionOnly}).
   */
  readonly unplaced: readonly string[];

  /** @param adapter the framework's recognisers; routing and handler where the pipeline routes */
  constructor(options: ApifaultOptions | ResolvedOptions = {}, adapter: AdapterParts<E> = {}) {
    this.options = resolveOptions(options);
    this.#recognizers = [
      ...(adapter.recognizers ?? []),
      ...this.options.recognizers,
      ...LIBRARY_RECOGNIZERS,
    ];
    const builtIn = builtInStages(this.options) as Partial<Record<StagePoint, Stage<E>>>;
    const routes = adapter.routing !== undefined && adapter.handler !== undefined;
    if (routes) {
      builtIn.routing = adapter.routing;
      builtIn.handler = adapter.handler;
    }
    const stages = orderStages(builtIn, this.options.stages as readonly Stage<E>[]);
    this.unplaced = routes ? [] : stages.dispatch.map((stage) => stage.name);
    this.#admission = stages.admission;
    this.#dispatch = [...stages.admission, ...stages.dispatch];
  }

  /** Throws a TypeError naming the stages a framework adapter cannot run (see {@link Pipeline.unplaced}). */
  requireAdmissionOnly(framework: string): this {
    if (this.unplaced.length > 0) {
      throw new TypeError(
        `On ${framework} the framework routes: place ${this.unplaced.join(', ')} before 'routing', or use ${framework}'s own route hooks.`,
      );
    }
    return this;
  }

  /**
   * Runs the stages before routing. `true`: the request goes on to the framework's router;
   * `false`: it was answered (an error, or a stage that stopped it). Answers in the same
   * tick when every stage does.
   */
  admit(exchange: E): boolean | Promise<boolean> {
    return this.#run(this.#admission, exchange);
  }

  /** Runs every stage, routing and handler included (the adapter gave them). */
  run(exchange: E): void {
    this.#run(this.#dispatch, exchange);
  }

  #run(stages: readonly Stage<E>[], exchange: E): boolean | Promise<boolean> {
    let outcome: StagesOutcome | Promise<StagesOutcome>;
    try {
      if (this.options.responseHeaders !== undefined) this.#stamp(exchange);
      outcome = runStages(stages, 0, exchange);
    } catch (error) {
      this.fail(exchange, error);
      return false;
    }
    if (!(outcome instanceof Promise)) return this.#settle(exchange, outcome);
    return outcome.then(
      (settled) => this.#settle(exchange, settled),
      (error: unknown) => {
        this.fail(exchange, error);
        return false;
      },
    );
  }

  /** Whether the request goes on; a refusal is answered here. */
  #settle(exchange: E, outcome: StagesOutcome): boolean {
    if (typeof outcome === 'boolean') return outcome;
    this.fail(exchange, outcome);
    return false;
  }

  readonly #stamped = new WeakSet<Exchange>();

  /** Puts the `responseHeaders` on the exchange's response, once. */
  #stamp(exchange: E): void {
    if (this.#stamped.has(exchange)) return;
    this.#stamped.add(exchange);
    const headers = this.options.responseHeaders!(exchange.headers);
    for (const name in headers) exchange.setHeader(name, headers[name]!);
  }

  #renderContext(exchange: E): RenderContext {
    return {
      options: this.options,
      headers: exchange.headers,
      requestId: exchange.requestId,
      correlationId: exchange.correlationId,
      locale: exchange.locale,
      method: exchange.method,
      path: exchange.path,
      recognizers: this.#recognizers,
    };
  }

  /**
   * Answers `error` (anything thrown) with the contract: mapped by the `onError` option,
   * rendered, and written; a response already started is cut instead, and logged.
   */
  fail(exchange: E, error: unknown): void {
    const options = this.options;
    let mapped = error;
    if (options.onError !== undefined) {
      try {
        mapped = options.onError(error, exchange);
      } catch (thrown) {
        mapped = thrown;
      }
    }
    let rendered: RenderedError;
    try {
      rendered = renderError(mapped, this.#renderContext(exchange));
    } catch (err) {
      // Only an application's logger can throw here (a hostile value it tried to print):
      // the answer is still the contract's.
      rendered = renderError(UNEXPECTED, this.#renderContext(exchange));
      options.logger.warn({ err, requestId: exchange.requestId }, 'apifault: rendering failed');
    }
    if (options.onRender !== undefined) {
      try {
        rendered = options.onRender(rendered, exchange);
      } catch (err) {
        options.logger.warn({ err, requestId: exchange.requestId }, 'apifault: onRender failed');
      }
    }
    if (exchange.started) {
      // A second response is impossible: cut the connection so the client sees an
      // incomplete body rather than a truncated one that looks whole.
      options.logger.error(
        {
          status: rendered.status,
          requestId: exchange.requestId,
          correlationId: exchange.correlationId,
        },
        'apifault: error after the response started; connection closed',
      );
      exchange.destroy();
      return;
    }
    try {
      if (options.responseHeaders !== undefined) this.#stamp(exchange);
      exchange.send(rendered);
    } catch (err) {
      options.logger.error(
        { err, requestId: exchange.requestId },
        'apifault: the error response could not be written',
      );
      exchange.destroy();
    }
  }
}

const pipelines = new WeakMap<object, WeakMap<ResolvedOptions, Pipeline<Exchange>>>();

/**
 * The pipeline of `options` on one adapter, built once: an adapter's middleware factories
 * (first middleware, not-found and error handlers) called with the same options share it.
 */
export function pipelineOf<E extends Exchange>(
  options: ApifaultOptions | ResolvedOptions,
  adapter: AdapterParts<E>,
): Pipeline<E> {
  const resolved = resolveOptions(options);
  let byOptions = pipelines.get(adapter);
  if (byOptions === undefined) {
    byOptions = new WeakMap();
    pipelines.set(adapter, byOptions);
  }
  let pipeline = byOptions.get(resolved) as Pipeline<E> | undefined;
  if (pipeline === undefined) {
    pipeline = new Pipeline<E>(resolved, adapter);
    byOptions.set(resolved, pipeline as unknown as Pipeline<Exchange>);
  }
  return pipeline;
}
