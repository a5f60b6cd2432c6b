/** The pipeline's stages and their named points: what runs, in which order, and how an application adds its own. */

import { type ErrorParts, isErrorParts } from '../render/index.js';
import type { Exchange } from './exchange.js';

/**
 * What a stage answers: nothing (go on), {@link STOP}, error parts (a refusal), or a promise
 * of one of those.
 */
export type StageResult =
  // biome-ignore lint/suspicious/noConfusingVoidType: a stage may return the Promise<void> of its work
  void | typeof STOP | ErrorParts | Promise<void | typeof STOP | ErrorParts>;

/**
 * Returned (or resolved) by a stage that answered the request itself, or left it to hang or
 * be dropped on purpose: no later stage runs. A stage refuses a request by throwing, or by
 * returning `errorParts(…)`: a refusal answered often (a route miss) then costs no exception,
 * whose stack walk and message V8 builds on every throw.
 */
export const STOP: unique symbol = Symbol('apifault.stop');

/**
 * The pipeline's named points, in the order they run:
 * - `availability`: maintenance and load shedding (503);
 * - `method`: a method HTTP does not define (501);
 * - `target`: the path policy (400);
 * - `accept`: `Accept` excludes JSON (406);
 * - `auth`: bearer authentication and authorization (401/403);
 * - `rate-limit`: the rate limiter (429, and the `RateLimit` headers);
 * - `idempotency`: `MS-RequestId` as the key of unsafe requests (a replay, 409);
 * - `routing`: a route for the method and path (404/405);
 * - `preconditions`: nothing built in; where checks that need the route go;
 * - `handler`: the route's handler, its answer written.
 * Where the adapter's framework routes and runs the handler, `routing` and what follows are
 * the framework's.
 */
export const STAGE_POINTS = [
  'availability',
  'method',
  'target',
  'accept',
  'auth',
  'rate-limit',
  'idempotency',
  'routing',
  'preconditions',
  'handler',
] as const;

/** One of {@link STAGE_POINTS}. */
export type StagePoint = (typeof STAGE_POINTS)[number];

/**
 * A step of the pipeline. A stage reads the exchange, may set headers or the principal, and
 * refuses a request by throwing (an `ApiError`, error parts, anything the renderer takes).
 * A synchronous stage returns nothing: a request whose stages all answer at once is
 * answered in the same tick, with no promise.
 *
 * @example { name: 'tenant-header', before: 'auth', run(ex) { if (!ex.headers['x-tenant']) throw badRequest('X-Tenant is required.') } }
 */
export interface Stage<E extends Exchange = Exchange> {
  /** The stage's name, for logs and for other placements. */
  readonly name: string;
  /** Runs just before this point. One of `before` and `after` is required for an added stage. */
  readonly before?: StagePoint;
  /** Runs just after this point. */
  readonly after?: StagePoint;
  /** The step itself. */
  run(exchange: E): StageResult;
}

/**
 * Orders the built-in and added stages: at each point, the ones placed before it, its own,
 * the ones placed after. `admission` is what runs before routing (every adapter runs it);
 * `dispatch`, routing onwards (run where the pipeline routes: the node:http adapter).
 */
export function orderStages<E extends Exchange>(
  builtIn: Partial<Record<StagePoint, Stage<E>>>,
  added: readonly Stage<E>[],
): { admission: Stage<E>[]; dispatch: Stage<E>[] } {
  for (const stage of added) {
    const point = stage.before ?? stage.after;
    if (
      point === undefined ||
      (stage.before !== undefined && stage.after !== undefined) ||
      !STAGE_POINTS.includes(point)
    ) {
      throw new TypeError(
        `The stage ${String(stage.name)} must be placed with one of before or after: ${STAGE_POINTS.join(', ')}.`,
      );
    }
    if (typeof stage.run !== 'function') {
      throw new TypeError(`The stage ${String(stage.name)} has no run function.`);
    }
  }
  const ordered: Stage<E>[] = [];
  let routing = 0;
  for (const point of STAGE_POINTS) {
    for (const stage of added) if (stage.before === point) ordered.push(stage);
    if (point === 'routing') routing = ordered.length;
    const own = builtIn[point];
    if (own !== undefined) ordered.push(own);
    for (const stage of added) if (stage.after === point) ordered.push(stage);
  }
  return { admission: ordered.slice(0, routing), dispatch: ordered.slice(routing) };
}

/** How a run of stages ended: all went on (`true`), one stopped (`false`), or one refused. */
export type StagesOutcome = boolean | ErrorParts;

/**
 * Runs `stages` from `index` on. Stays synchronous until a stage returns a promise. A
 * stage's throw (or rejection) propagates; its returned refusal is the outcome.
 */
export function runStages<E extends Exchange>(
  stages: readonly Stage<E>[],
  index: number,
  exchange: E,
): StagesOutcome | Promise<StagesOutcome> {
  for (let i = index; i < stages.length; i++) {
    const result = stages[i]!.run(exchange);
    if (result === undefined) continue;
    if (result instanceof Promise) return finishStages(result, stages, i, exchange);
    if (result === STOP) return false;
    if (isErrorParts(result)) return result;
  }
  return true;
}

/**
 * The rest of a run once stage `index` returned `pending`: one async function awaits each
 * stage in turn, rather than a chain of `then`s each returning the next stage's promise.
 */
async function finishStages<E extends Exchange>(
  pending: Promise<Awaited<StageResult>>,
  stages: readonly Stage<E>[],
  index: number,
  exchange: E,
): Promise<StagesOutcome> {
  let result: Awaited<StageResult> = await pending;
  for (let i = index; ; ) {
    if (result === STOP) return false;
    if (result !== undefined && isErrorParts(result)) return result;
    if (++i === stages.length) return true;
    result = await stages[i]!.run(exchange);
  }
}
