/**
 * Throttling as Partner Center does it: budgets per partner for the partner-wide APIs and per
 * partner and customer for the customer-scoped ones (one busy customer does not block calls
 * for another), and the 429 on the wire in the real service's shape by default.
 */

import {
  connectRedisStore,
  createRateLimiter,
  type Exchange,
  type RateLimiter,
  type RateLimitPolicy,
  type RenderedError,
} from '@apifault/server';
import { partnerCenterWire, type WireFormat } from '@apifault/server/faults';
import type { RateLimitOptions } from './options.js';
import type { Principal } from './tokens/tokens.js';

export type { WireFormat };

/**
 * Budgets per route group: `partner`, the partner-wide routes, counted per partner tenant;
 * `customer`, the routes under `/v1/customers/{customerId}`, counted per partner and customer.
 */
export interface RateLimitGroups {
  partner?: { limit: number; windowSeconds: number };
  customer?: { limit: number; windowSeconds: number };
}

const CUSTOMER_SCOPED = /^\/v1\/customers\/([^/]+)(?:\/|$)/;

/** The customer a request is scoped to (`/v1/customers/{id}` and below), if any. */
function customerOf(path: string): string | undefined {
  return CUSTOMER_SCOPED.exec(path)?.[1];
}

function partnerOf(ex: Exchange): string | undefined {
  return (ex.principal as Principal | undefined)?.partnerTenantId;
}

/**
 * The emulator's limiter: policy `partner` counts the partner-wide routes (`/v1/customers`,
 * `/v1/invoices`, the catalog …) per partner tenant, policy `customer` the routes under
 * `/v1/customers/{customerId}` per partner and customer; each with its group's limit. A
 * request without a principal (the control routes) is not counted.
 */
export async function createLimiter(
  settings: RateLimitOptions & { groups?: RateLimitGroups },
  redis: string | undefined,
): Promise<RateLimiter<Exchange>> {
  const readCost = settings.readCost ?? 1;
  const writeCost = settings.writeCost ?? 5;
  const cost = (ex: Exchange) =>
    ex.method === 'GET' || ex.method === 'HEAD' ? readCost : writeCost;
  const window = (group: { limit: number; windowSeconds: number } | undefined) => [
    {
      limit: group?.limit ?? settings.limit,
      windowSeconds: group?.windowSeconds ?? settings.windowSeconds,
    },
  ];
  const policies: RateLimitPolicy<Exchange>[] = [
    {
      name: 'partner',
      key: (ex) => (customerOf(ex.path) === undefined ? partnerOf(ex) : undefined),
      cost,
      windows: window(settings.groups?.partner),
    },
    {
      name: 'customer',
      key: (ex) => {
        const partner = partnerOf(ex);
        const customer = customerOf(ex.path);
        return partner === undefined || customer === undefined
          ? undefined
          : `${partner}:${customer}`;
      },
      cost,
      windows: window(settings.groups?.customer),
    },
  ];
  const store = redis ? await connectRedisStore({ url: redis }) : 'memory';
  return createRateLimiter<Exchange>({
    store,
    failure: 'open',
    keyPrefix: 'apifault-emulator',
    policies,
  });
}

/**
 * The limiter as the real service shows it: the same decisions, without `RateLimit` headers
 * on the answers it admits (Partner Center sends none).
 */
export function withoutRateLimitHeaders(limiter: RateLimiter<Exchange>): RateLimiter<Exchange> {
  const none = { headers: {} };
  return {
    consume: (ex) => limiter.consume(ex).then(() => none),
    policyHeader: limiter.policyHeader,
    close: () => limiter.close(),
  };
}

/** The limiter and render hook of a wire format. */
export function wireOf(
  format: WireFormat,
  limiter: RateLimiter<Exchange> | undefined,
): { rateLimit?: RateLimiter<Exchange>; onRender?: (rendered: RenderedError) => RenderedError } {
  if (format === 'contract') return limiter === undefined ? {} : { rateLimit: limiter };
  return {
    ...(limiter === undefined ? {} : { rateLimit: withoutRateLimitHeaders(limiter) }),
    onRender: partnerCenterWire,
  };
}
