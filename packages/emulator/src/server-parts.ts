/**
 * The @apifault/server mechanisms the emulator uses, in one place.
 *
 * TODO(server): @apifault/server's index does not export checkPreconditions, conflictError,
 * callUpstream, notImplementedRoute and the rate limiter yet (they exist in its src/). Until it
 * does, the smallest stand-ins live below; replace each with a re-export from
 * '@apifault/server' as soon as it is exported.
 */

import {
  type ApiError,
  badGateway,
  conflict,
  gatewayTimeout,
  notImplemented,
  preconditionFailed,
  serviceUnavailable,
  tooManyRequests,
} from '@apifault/contract';

export {
  type App,
  authenticate,
  type Context,
  createApp,
  installClientErrorHandler,
  sendError,
} from '@apifault/server';

type Headers = Record<string, string | string[] | undefined>;

/** TODO(server): stand-in for the server's checkPreconditions (If-Match only, strong comparison). */
export function checkPreconditions(
  request: { method: string; headers: Headers },
  current: { etag?: string },
  options: { require?: boolean } = {},
): 'proceed' {
  const raw = request.headers['if-match'];
  const value = Array.isArray(raw) ? raw.join(', ') : raw;
  if (value === undefined) {
    if (options.require) {
      throw preconditionFailed({
        description: "This request must carry If-Match with the resource's current entity tag.",
        data: [{ header: 'If-Match' }],
      });
    }
    return 'proceed';
  }
  if (value.trim() === '*') return 'proceed';
  const tags = value.split(',').map((t) => t.trim());
  const quoted = (t: string) => (t.startsWith('"') ? t : `"${t}"`);
  if (
    current.etag !== undefined &&
    tags.some((t) => !t.startsWith('W/') && quoted(t) === current.etag)
  ) {
    return 'proceed';
  }
  throw preconditionFailed({
    description:
      'If-Match does not match the current entity tag: the resource changed since it was read.',
    data: [{ header: 'If-Match', ...(current.etag ? { currentEtag: current.etag } : {}) }],
  });
}

/** TODO(server): stand-in for the server's conflictError. */
export function conflictError(input: {
  description?: string;
  code?: string;
  resource?: Record<string, unknown>;
  data?: readonly unknown[];
  source?: string;
  cause?: unknown;
}): ApiError {
  return conflict({
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.code === undefined ? {} : { code: input.code }),
    data: [...(input.resource ? [input.resource] : []), ...(input.data ?? [])],
    ...(input.source === undefined ? {} : { source: input.source }),
    cause: input.cause,
  });
}

/** TODO(server): stand-in for the server's notImplementedRoute. */
export function notImplementedRoute(
  description = 'This operation is not implemented.',
): () => never {
  return () => {
    throw notImplemented(description);
  };
}

/** TODO(server): stand-in for the server's callUpstream (timeout 504, failure or non-2xx 502). */
export async function callUpstream(
  input: string,
  options: { name: string; timeoutMs: number; fetch: typeof fetch; init?: RequestInit },
): Promise<unknown> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    let response: Response;
    try {
      response = await options.fetch(input, { ...options.init, signal: controller.signal });
    } catch (error) {
      if (controller.signal.aborted) {
        throw gatewayTimeout({
          description: `The upstream service '${options.name}' did not answer in time.`,
          expose: true,
          cause: error,
        });
      }
      throw badGateway({
        description: `The upstream service '${options.name}' closed the connection before answering.`,
        expose: true,
        cause: error,
      });
    }
    if (response.status < 200 || response.status > 299) {
      throw badGateway({
        description: `The upstream service '${options.name}' answered with an error.`,
        expose: true,
      });
    }
    return (await response.json()) as unknown;
  } finally {
    clearTimeout(timer);
  }
}

/** TODO(server): the server's RateLimitRequest. */
export interface RateLimitRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Headers>;
}

/** TODO(server): the server's RateLimiter. */
export interface RateLimiter<Req extends RateLimitRequest> {
  consume(req: Req): Promise<{ headers: Record<string, string> }>;
  close(): Promise<void>;
}

/** TODO(server): stand-in for createRateLimiter, one fixed window in memory. */
export function createRateLimiter<Req extends RateLimitRequest>(options: {
  store: 'memory' | { close(): Promise<void> };
  failure: 'open' | 'closed';
  keyPrefix?: string;
  policies: readonly {
    name: string;
    key: (req: Req) => string | undefined;
    cost?: (req: Req) => number;
    windows: readonly { limit: number; windowSeconds: number }[];
  }[];
}): RateLimiter<Req> {
  const counts = new Map<string, { used: number; resetAt: number }>();
  return {
    async consume(req) {
      for (const policy of options.policies) {
        const key = policy.key(req);
        if (key === undefined) continue;
        for (const window of policy.windows) {
          const id = `${policy.name}:${window.windowSeconds}:${key}`;
          const now = Date.now();
          let slot = counts.get(id);
          if (!slot || slot.resetAt <= now) {
            slot = { used: 0, resetAt: now + window.windowSeconds * 1000 };
            counts.set(id, slot);
          }
          const cost = policy.cost?.(req) ?? 1;
          if (slot.used + cost > window.limit) {
            throw tooManyRequests({
              retryAfter: Math.max(1, Math.ceil((slot.resetAt - now) / 1000)),
            });
          }
          slot.used += cost;
        }
      }
      return { headers: {} };
    },
    close: async () => {},
  };
}

/** TODO(server): stand-in for connectRedisStore; Redis needs the server's store. */
export async function connectRedisStore(_options: {
  url: string;
}): Promise<{ close(): Promise<void> }> {
  throw new Error(
    '--redis needs the rate-limit Redis store of @apifault/server, not exported yet.',
  );
}

/** TODO(server): the server's MaintenanceCheck. */
export type MaintenanceCheck = () => void;

/** TODO(server): stand-in for the server's maintenance() (availability mechanism). */
export function maintenance(options: { enabled: boolean; retryAfter?: number }): MaintenanceCheck {
  return () => {
    if (!options.enabled) return;
    throw serviceUnavailable({
      description: 'The service is down for maintenance.',
      expose: true,
      ...(options.retryAfter === undefined ? {} : { retryAfter: options.retryAfter }),
    });
  };
}
