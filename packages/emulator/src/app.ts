/** Assembles the emulator: store, tokens, faults, rate limit and routes on the server's node:http adapter. */

import { randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_REALM, isApiError } from '@apifault/contract';
import { CODES } from './codes.js';
import { createCommerceStep } from './commerce.js';
import { invalidInput, recode, SOURCE_CONTROLLERS, SOURCE_FRONT_DOOR } from './errors.js';
import { FaultEngine } from './faults/engine.js';
import { forcedStatus, injectedError, playFault } from './faults/inject.js';
import { describeRule, FaultRuleError, parseFaultRules } from './faults/rules.js';
import { flushStdout, logRequest, stdoutSink } from './log.js';
import { Maintenance } from './maintenance.js';
import { buildOpenApi } from './openapi.js';
import type { EmulatorOptions } from './options.js';
import { ErrorAnswer, type ResourceHandler, type ResourceResponse } from './resources/context.js';
import { createCustomer, getCustomer, listCustomers } from './resources/customers.js';
import { createOrder, getOrder, listOrders } from './resources/orders.js';
import {
  getSubscription,
  listSubscriptions,
  patchSubscription,
} from './resources/subscriptions.js';
import { stampHeaders } from './response.js';
import { RouteRequest, writeResult } from './route-request.js';
import { NOT_MODELLED, ROUTES, type RouteName } from './routes.js';
import {
  type App,
  type AuthOptions,
  authenticate,
  type Context,
  connectRedisStore,
  createApp,
  createRateLimiter,
  isSaneId,
  notImplementedRoute,
  parseBearer,
  type RateLimiter,
  type RateLimitRequest,
  sendError,
} from './server-parts.js';
import { DEFAULT_DB_FILE, openDatabase } from './store/database.js';
import { seed } from './store/seed.js';
import { EmulatorStore } from './store/store.js';
import { type AuthorizedRequest, authorizeRequest } from './tokens/authorize.js';
import { mintRoute } from './tokens/route.js';
import { type Principal, TokenService } from './tokens/tokens.js';

/** A built emulator, not yet listening. */
export interface Emulator {
  /** The `(req, res)` listener for `http.createServer`. */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** The data store. */
  readonly store: EmulatorStore;
  /** The token service (mint tokens for tests). */
  readonly tokens: TokenService;
  /** The fault rules in force. */
  readonly faults: FaultEngine;
  /** The maintenance switch. */
  readonly maintenance: Maintenance;
  /** Ends hung responses, closes the rate-limit store and the database. */
  close(): Promise<void>;
}

interface LimitRequest extends RateLimitRequest {
  tenant: string;
}

const SERVER_ID = String(randomInt(100_000_000, 999_999_999));
const CV_INCOMING = /^[A-Za-z0-9+/]{1,64}(?:\.[0-9]{1,10}){0,8}$/;

// Random bytes for new correlation vectors, drawn in bulk: one syscall per 340 requests.
let cvPool = randomBytes(4080);
let cvOffset = 0;

/** The `MS-CV` of a response: the caller's vector extended, or a new one (16 base64 chars + `.0`). */
function correlationVector(req: IncomingMessage): string {
  const incoming = req.headers['ms-cv'];
  if (typeof incoming === 'string' && CV_INCOMING.test(incoming)) return `${incoming}.0`;
  if (cvOffset + 12 > cvPool.length) {
    cvPool = randomBytes(4080);
    cvOffset = 0;
  }
  const base = cvPool.toString('base64', cvOffset, cvOffset + 12);
  cvOffset += 12;
  return `${base}.0`;
}

function isPartnerCenterPath(path: string): boolean {
  return path.startsWith('/v1/') || path === '/v1';
}

async function createLimiter(
  options: EmulatorOptions,
): Promise<RateLimiter<LimitRequest> | undefined> {
  const settings = options.rateLimit ?? { limit: 1000, windowSeconds: 10 };
  if (settings === false) return undefined;
  const readCost = settings.readCost ?? 1;
  const writeCost = settings.writeCost ?? 5;
  const store = options.redis ? await connectRedisStore({ url: options.redis }) : 'memory';
  return createRateLimiter<LimitRequest>({
    store,
    failure: 'open',
    keyPrefix: 'apifault-emulator',
    policies: [
      {
        name: 'partner',
        key: (req) => req.tenant,
        cost: (req) => (req.method === 'GET' || req.method === 'HEAD' ? readCost : writeCost),
        windows: [{ limit: settings.limit, windowSeconds: settings.windowSeconds }],
      },
    ],
  });
}

/** Builds the emulator on an open database; nothing listens yet. */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const now = options.now ?? (() => new Date());
  const db = openDatabase(
    options.memory ? { memory: true } : { file: options.db ?? DEFAULT_DB_FILE },
  );
  const store = new EmulatorStore(db, now);
  if (options.seed !== false) seed(store, now());
  const tokens = new TokenService(store);
  const faultSeed = options.faultSeed ?? Date.now();
  const faults = new FaultEngine(options.faults ?? [], faultSeed);
  const maintenance = new Maintenance();
  const commerce = createCommerceStep({ faults, timeoutMs: options.commerceTimeoutMs ?? 2000 });
  let limiter: RateLimiter<LimitRequest> | undefined;
  try {
    limiter = await createLimiter(options);
  } catch (error) {
    store.close();
    throw error;
  }
  const realm = options.realm ?? DEFAULT_REALM;
  const sink = options.log === undefined ? stdoutSink : options.log;
  const hung = new Set<ServerResponse>();

  const app: App = createApp({
    source: SOURCE_FRONT_DOOR,
    realm,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 10_000,
  });

  const resources: Partial<Record<RouteName, ResourceHandler>> = {
    listCustomers: listCustomers(store),
    createCustomer: createCustomer(store),
    getCustomer: getCustomer(store),
    listSubscriptions: listSubscriptions(store),
    getSubscription: getSubscription(store),
    patchSubscription: patchSubscription({ store, commerce, now }),
    listOrders: listOrders(store),
    createOrder: createOrder(store, commerce),
    getOrder: getOrder(store),
  };

  const auth: AuthOptions = {
    verify: (token) => tokens.verified(token) ?? tokens.verify(token),
    // 403 from the server's authorization hook: write roles, then partner ownership.
    authorize: (principal, request) =>
      authorizeRequest(store, principal as Principal, request as AuthorizedRequest),
    // Every 401 carries exactly the documented `OAuth realm=…`, without RFC 6750 parameters.
    errorDetail: false,
  };

  /** A 401 of the server's bearer mechanism, carrying Partner Center's codes. */
  function recodeUnauthorized(ctx: Context, error: unknown): unknown {
    if (!isApiError(error) || error.status !== 401) return error;
    const missing = ctx.headers.authorization === undefined;
    return recode(error, missing ? CODES.tokenMissing.code : CODES.accessDenied.code);
  }

  /** The caller's own `MS-RequestId` (not one generated for it), if it is a sane id. */
  function sentRequestId(ctx: Context): string | undefined {
    const sent = ctx.headers['ms-requestid'];
    return typeof sent === 'string' && isSaneId(sent) ? sent : undefined;
  }

  /** The JSON body through the server's body mechanism; its 400s carry Partner Center's 800002. */
  async function readBody(ctx: Context): Promise<unknown> {
    try {
      return await ctx.json();
    } catch (error) {
      if (isApiError(error) && error.status === 400) {
        throw recode(error, CODES.invalidInput.code, SOURCE_CONTROLLERS);
      }
      throw error;
    }
  }

  /**
   * The principal of a token verified before, found without waiting: what the server's
   * `authenticate` would answer (bearer parsed by the same parser, then the authorization
   * hook, whose 403 propagates), minus its promises. `undefined`: take the full mechanism.
   */
  function knownPrincipal(info: AuthorizedRequest): Principal | undefined {
    const bearer = parseBearer(info.headers.authorization);
    if (bearer.kind !== 'token') return undefined;
    const principal = tokens.verified(bearer.token);
    if (principal === undefined) return undefined;
    // authorizeRequest answers true or throws its 403.
    authorizeRequest(store, principal, info);
    return principal;
  }

  /**
   * A resource route. A request with a known token and no rate limit is answered in the
   * same tick, with no promise, its errors (a 404 …) included: a function that throws on
   * every call never gets optimised by V8, so they are caught and answered here. Anything
   * that must wait goes through `respondLater`.
   */
  function resourceRoute(handler: ResourceHandler) {
    return (ctx: Context): Promise<undefined> | undefined => {
      const info: AuthorizedRequest = {
        method: ctx.method,
        path: ctx.path,
        headers: ctx.headers,
        customer: undefined,
      };
      let answer: ResourceResponse | ErrorAnswer | Promise<ResourceResponse>;
      try {
        const principal = knownPrincipal(info);
        if (principal === undefined || limiter) return respondLater(handler, ctx, info, principal);
        answer = handler(
          new RouteRequest(ctx, principal, sentRequestId(ctx), info.customer, readBody),
        );
      } catch (error) {
        app.fail(ctx, error);
        return undefined;
      }
      if (answer instanceof Promise) {
        return answer.then((result) => {
          writeResult(ctx, result);
          return undefined;
        });
      }
      if (answer instanceof ErrorAnswer) app.failWith(ctx, answer.error);
      else writeResult(ctx, answer);
      return undefined;
    };
  }

  async function respondLater(
    handler: ResourceHandler,
    ctx: Context,
    info: AuthorizedRequest,
    known: Principal | undefined,
  ): Promise<undefined> {
    let principal = known;
    if (principal === undefined) {
      try {
        // The server's bearer mechanism (401), then the authorization hook (403).
        principal = (await authenticate(auth, info, realm)) as Principal;
      } catch (error) {
        throw recodeUnauthorized(ctx, error);
      }
    }
    if (limiter) {
      const decision = await limiter.consume({
        method: ctx.method,
        path: ctx.path,
        headers: ctx.headers,
        tenant: principal.partnerTenantId,
      });
      for (const name in decision.headers) {
        ctx.res.setHeader(name, decision.headers[name] as string);
      }
    }
    const answer = handler(
      new RouteRequest(ctx, principal, sentRequestId(ctx), info.customer, readBody),
    );
    const result = answer instanceof Promise ? await answer : answer;
    if (result instanceof ErrorAnswer) app.failWith(ctx, result.error);
    else writeResult(ctx, result);
    return undefined;
  }

  const control: Partial<Record<RouteName, (ctx: Context) => unknown>> = {
    mintToken: mintRoute(store, tokens),
    getFaults: () => ({
      seed: faultSeed,
      rules: faults.list().map(({ rule, calls }) => ({ ...describeRule(rule), calls })),
    }),
    putFaults: async (ctx) => {
      try {
        faults.replace(parseFaultRules(await ctx.json()));
      } catch (error) {
        if (error instanceof FaultRuleError) throw invalidInput(error.message);
        throw error;
      }
      return { seed: faultSeed, rules: faults.list().map(({ rule }) => describeRule(rule)) };
    },
    deleteFaults: () => {
      faults.clear();
      return undefined;
    },
    getMaintenance: () => maintenance.state,
    putMaintenance: async (ctx) => {
      const body = (await ctx.json()) as { enabled?: unknown; retryAfter?: unknown } | undefined;
      const enabled = body?.enabled;
      const retryAfter = body?.retryAfter ?? 30;
      if (typeof enabled !== 'boolean') throw invalidInput('enabled must be true or false.');
      if (
        typeof retryAfter !== 'number' ||
        !Number.isInteger(retryAfter) ||
        retryAfter < 1 ||
        retryAfter > 86_400
      ) {
        throw invalidInput('retryAfter must be an integer number of seconds, 1–86400.');
      }
      maintenance.state = { enabled, retryAfter };
      return maintenance.state;
    },
    openapi: () => buildOpenApi(),
  };

  for (const route of ROUTES) {
    const resource = resources[route.name];
    const handler = resource ? resourceRoute(resource) : control[route.name];
    if (handler) app.route(route.method, route.path, handler);
  }
  for (const path of NOT_MODELLED) {
    const describe = `The emulator does not model ${path.replace(/:([A-Za-z]+)/g, '{$1}')}.`;
    const notModelled = notImplementedRoute(describe);
    const route = resourceRoute(() => {
      try {
        return notModelled();
      } catch (error) {
        throw isApiError(error) ? recode(error, CODES.notImplemented.code) : error;
      }
    });
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) app.route(method, path, route);
  }

  function fail(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    sendError(req, res, error, app.options);
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    stampHeaders(res, { 'MS-CV': correlationVector(req), 'MS-ServerId': SERVER_ID });
    logRequest(sink, req, res, path);
    // HTTP/1.1 requires Host (RFC 9112 §3.2); start.ts leaves the check here so the answer
    // is a contract 400 rather than Node's bare one.
    if (req.headers.host === undefined && req.httpVersion === '1.1') {
      fail(req, res, invalidInput('an HTTP/1.1 request must carry a Host header.'));
      return;
    }
    if (!isPartnerCenterPath(path)) {
      app.handler(req, res);
      return;
    }
    try {
      maintenance.check();
    } catch (error) {
      fail(req, res, error);
      return;
    }
    const forced = forcedStatus(req);
    if (forced !== undefined) {
      fail(req, res, injectedError(forced, `X-Apifault-Force-Status: ${forced}`, realm));
      return;
    }
    const rule = faults.match(req.method ?? 'GET', path);
    if (!rule) {
      app.handler(req, res);
      return;
    }
    playFault(rule, req, res, hung, realm).then(
      (outcome) => {
        if (outcome.kind === 'error') fail(req, res, outcome.error);
        else if (outcome.kind === 'continue') app.handler(req, res);
      },
      (error) => fail(req, res, error),
    );
  };

  return {
    handler,
    store,
    tokens,
    faults,
    maintenance,
    async close() {
      for (const res of hung) res.destroy();
      hung.clear();
      await limiter?.close();
      store.close();
      if (sink === stdoutSink) flushStdout();
    },
  };
}
