/**
 * Assembles the emulator: an ordinary `@apifault/server` application whose pipeline runs
 * the front door's stages (the control plane's gate among them), bearer auth through the
 * token service, the per-partner rate limit, then the resource and control routes.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_REALM } from '@apifault/contract';
import { Dashboard, dashboardMediaTypes, ExchangeFeed, Traffic } from '@apifault/dashboard';
import { createApp, type Exchange, type RateLimiter, type RouteHandler } from '@apifault/server';
import { FaultEngine } from '@apifault/server/faults';
import { ContinuationTokens } from './billing/continuation.js';
import { createCommerceStep } from './commerce.js';
import { checkControlToken } from './control-plane.js';
import { controlRoutes } from './control-routes.js';
import { dashboardRoutes } from './dashboard-routes.js';
import { partnerCenterCodes, SOURCE_FRONT_DOOR } from './errors.js';
import { exchangeRecording } from './exchange-recording.js';
import { frontDoor, responseHeaders } from './front-door.js';
import { DEFAULT_LOG_LEVEL, stdoutSink } from './log.js';
import { Maintenance } from './maintenance.js';
import type { EmulatorOptions } from './options.js';
import {
  type CartDependencies,
  checkoutCart,
  createCart,
  getCart,
  updateCart,
} from './resources/carts.js';
import {
  getAvailability,
  getProduct,
  getSku,
  listAvailabilities,
  listProducts,
  listSkus,
} from './resources/catalog.js';
import { createCustomer, getCustomer, listCustomers } from './resources/customers.js';
import { getInvoice, listInvoiceLineItems, listInvoices } from './resources/invoices.js';
import { createOrder, getOrder, listOrders } from './resources/orders.js';
import { getProvisioningStatus } from './resources/provisioning-status.js';
import {
  getSubscription,
  listSubscriptions,
  patchSubscription,
} from './resources/subscriptions.js';
import { isPartnerCenterPath, NOT_MODELLED, ROUTES, type RouteName } from './routes.js';
import { DEFAULT_DB_FILE, openDatabase } from './store/database.js';
import { EmulatorStore } from './store/emulator-store.js';
import { seed } from './store/seed.js';
import { createLimiter, wireOf } from './throttling.js';
import { authorizeRequest } from './tokens/authorize.js';
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
  /** Ends the dashboard's event streams cleanly (`startEmulator`'s close() does, before it cuts connections). */
  endStreams(): void;
  /** Ends the dashboard's streams and hung responses, closes the rate-limit store and the database. */
  close(): Promise<void>;
}

const NOT_MODELLED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The rate limiter of the options, or none (`rateLimit: false`). */
async function limiterOf(options: EmulatorOptions): Promise<RateLimiter<Exchange> | undefined> {
  const settings = options.rateLimit ?? { limit: 1000, windowSeconds: 10 };
  return settings === false ? undefined : createLimiter(settings, options.redis);
}

/** The billing handlers: invoices and their line items, with the store's continuation tokens. */
function billingRoutes(
  store: EmulatorStore,
  now: () => Date,
): Partial<Record<RouteName, RouteHandler>> {
  const billing = { invoices: store.invoices, tokens: new ContinuationTokens(store.meta, now) };
  const lineItems = listInvoiceLineItems(billing);
  return {
    listInvoices: listInvoices(billing),
    getInvoice: getInvoice(billing),
    listInvoiceLineItems: lineItems,
    seekInvoiceLineItems: lineItems,
  };
}

/** The purchase flow's handlers: the catalog and the carts. */
function commerceRoutes(deps: CartDependencies): Partial<Record<RouteName, RouteHandler>> {
  const { catalog } = deps.store;
  return {
    listProducts: listProducts(catalog),
    getProduct: getProduct(catalog),
    listSkus: listSkus(catalog),
    getSku: getSku(catalog),
    listAvailabilities: listAvailabilities(catalog),
    getAvailability: getAvailability(catalog),
    createCart: createCart(deps),
    getCart: getCart(deps),
    updateCart: updateCart(deps),
    checkoutCart: checkoutCart(deps),
  };
}

/** Builds the emulator on an open database; nothing listens yet. */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  if (options.controlToken !== undefined) checkControlToken(options.controlToken);
  const now = options.now ?? (() => new Date());
  const db = openDatabase(
    options.memory ? { memory: true } : { file: options.db ?? DEFAULT_DB_FILE },
  );
  const store = new EmulatorStore(db, now, options.billing);
  if (options.seed !== false) seed(store, now());
  const tokens = new TokenService(store.meta);
  const faultSeed = options.faultSeed ?? Date.now();
  const faults = new FaultEngine(options.faults ?? [], faultSeed);
  const maintenance = new Maintenance();
  const commerce = createCommerceStep({ faults, timeoutMs: options.commerceTimeoutMs ?? 2000 });
  let limiter: RateLimiter<Exchange> | undefined;
  try {
    limiter = await limiterOf(options);
  } catch (error) {
    store.close();
    throw error;
  }
  const realm = options.realm ?? DEFAULT_REALM;
  const hung = new Set<Exchange>();
  const exchanges = new ExchangeFeed();
  const traffic = new Traffic(exchanges);

  const app = createApp({
    source: SOURCE_FRONT_DOOR,
    realm,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 10_000,
    auth: {
      verify: (token) => tokens.verify(token),
      // 403: write roles, then partner ownership.
      authorize: (principal, request) =>
        authorizeRequest(store.customers, principal as Principal, request),
      skip: (request) => !isPartnerCenterPath(request.path),
      // Every 401 carries exactly the documented `OAuth realm=…`, without RFC 6750 parameters.
      errorDetail: false,
    },
    ...wireOf(options.wire ?? 'partner-center', limiter),
    // MS-RequestId is the key of every POST, PATCH, PUT and DELETE, per partner, kept in the
    // database: a retried creation replays its first answer, across restarts and processes.
    idempotency: {
      store: store.idempotency,
      scope: (ex) => (ex.principal as Principal | undefined)?.partnerTenantId ?? '',
    },
    stages: [
      exchangeRecording(exchanges),
      ...frontDoor({
        faults,
        maintenance,
        hung,
        realm,
        sink: options.log === undefined ? stdoutSink : options.log,
        logLevel: options.logLevel ?? DEFAULT_LOG_LEVEL,
        control: { token: options.controlToken, hosts: options.controlHosts ?? [], realm },
      }),
    ],
    onError: partnerCenterCodes,
    responseHeaders,
    // The dashboard's stream and page answer `Accept: text/event-stream` and `text/html`.
    produces: dashboardMediaTypes,
  });

  const handlers: Partial<Record<RouteName, RouteHandler>> = {
    listCustomers: listCustomers(store.customers),
    createCustomer: createCustomer(store.customers),
    getCustomer: getCustomer(store.customers),
    listSubscriptions: listSubscriptions(store),
    getSubscription: getSubscription(store),
    patchSubscription: patchSubscription({ store, commerce, now }),
    listOrders: listOrders(store),
    createOrder: createOrder(store, commerce),
    getOrder: getOrder(store),
    getProvisioningStatus: getProvisioningStatus(store),
    ...commerceRoutes({
      store,
      commerce,
      now,
      provisioningDelayMs: options.provisioningDelayMs ?? 5000,
    }),
    ...billingRoutes(store, now),
    ...controlRoutes({ store, tokens, faults, faultSeed, maintenance }),
  };
  for (const route of ROUTES) {
    const handler = handlers[route.name];
    if (handler) app.route(route.method, route.path, handler);
  }
  for (const path of NOT_MODELLED) {
    const description = `The emulator does not model ${path.replace(/:([A-Za-z]+)/g, '{$1}')}.`;
    for (const method of NOT_MODELLED_METHODS) app.notImplemented(method, path, description);
  }
  dashboardRoutes(
    app,
    new Dashboard(traffic, {
      name: 'apifault emulator',
      panels: ['traffic', 'faults', 'maintenance', 'tokens'],
    }),
  );

  return {
    handler: app.handler,
    store,
    tokens,
    faults,
    maintenance,
    endStreams: () => traffic.close(),
    async close() {
      traffic.close();
      for (const exchange of hung) exchange.destroy();
      hung.clear();
      await limiter?.close();
      store.close();
    },
  };
}
