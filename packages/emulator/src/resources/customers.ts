/** The customers resource: list (seek paging), create (409 on a taken domain), get. */

import { conflictError, type RouteHandler } from '@apifault/server';
import { BodyReader, requireBody } from '../body-reader.js';
import { CODES } from '../codes.js';
import {
  customerNotFound,
  invalidProperties,
  noRelationship,
  SOURCE_FRONT_DOOR,
} from '../errors.js';
import type { CustomerStore } from '../store/customers.js';
import { DuplicateDomainError } from '../store/duplicate-domain-error.js';
import type { CustomerRecord } from '../store/records.js';
import type { Principal } from '../tokens/tokens.js';
import { decodeContinuation, encodeContinuation, pageSize } from './paging.js';
import { headerValue, principalOf } from './request.js';
import { collectionJson, customerJson, customerPath, link } from './shapes.js';

const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** The customer `id` if the token's partner owns it: 404 when unknown, 403 when another partner's. */
export function ownedCustomer(
  customers: CustomerStore,
  principal: Principal,
  id: string,
): CustomerRecord {
  const customer = customers.get(id);
  if (!customer) throw customerNotFound(id);
  if (customer.partnerTenantId !== principal.partnerTenantId) {
    throw noRelationship(principal.partnerTenantId, id);
  }
  return customer;
}

/** GET /v1/customers */
export function listCustomers(customers: CustomerStore): RouteHandler {
  return (ctx) => {
    const size = pageSize(ctx.query);
    const token = headerValue(ctx, 'ms-continuationtoken');
    const after = token ? decodeContinuation(token) : '';
    const rows = customers.list(principalOf(ctx).partnerTenantId, after, size + 1);
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    const self = link(`/v1/customers?size=${size}`);
    if (rows.length > size && last) {
      const continuationToken = encodeContinuation(last.id);
      const next = link(`/v1/customers?size=${size}`, [
        { key: 'MS-ContinuationToken', value: continuationToken },
      ]);
      return collectionJson(page.map(customerJson), self, { link: next, continuationToken });
    }
    return collectionJson(page.map(customerJson), self);
  };
}

/** GET /v1/customers/:customerId */
export function getCustomer(customers: CustomerStore): RouteHandler {
  return (ctx) => {
    const customer = ownedCustomer(customers, principalOf(ctx), ctx.params.customerId ?? '');
    ctx.setHeader('ETag', `"${customer.etag}"`);
    return customerJson(customer);
  };
}

/** POST /v1/customers */
export function createCustomer(customers: CustomerStore): RouteHandler {
  return async (ctx) => {
    const principal = principalOf(ctx);
    const raw = requireBody(await ctx.json());
    const read = new BodyReader();
    const body = read.object(raw, 'body');
    const company = read.object(body.companyProfile, 'companyProfile');
    const billing = read.object(body.billingProfile, 'billingProfile');
    const domain = read.string(company.domain, 'companyProfile.domain', {
      required: true,
      max: 253,
      pattern: DOMAIN,
    });
    const companyName =
      read.string(company.companyName ?? billing.companyName, 'companyProfile.companyName', {
        required: true,
      }) ?? '';
    const email = read.string(billing.email, 'billingProfile.email', {
      required: true,
      pattern: /^[^@\s]+@[^@\s]+$/,
    });
    const culture = read.string(billing.culture, 'billingProfile.culture', { max: 16 }) ?? 'en-US';
    const language = read.string(billing.language, 'billingProfile.language', { max: 16 }) ?? 'en';
    const firstName = read.string(billing.firstName, 'billingProfile.firstName') ?? '';
    const lastName = read.string(billing.lastName, 'billingProfile.lastName') ?? '';
    const address = read.object(billing.defaultAddress, 'billingProfile.defaultAddress', false);
    const defaultAddress: Record<string, string> = {};
    for (const [key, value] of Object.entries(address).slice(0, 20)) {
      const text = read.string(value, `billingProfile.defaultAddress.${key}`);
      if (text !== undefined) defaultAddress[key] = text;
    }
    if (read.problems.length > 0 || domain === undefined || email === undefined) {
      throw invalidProperties(read.problems);
    }
    try {
      const customer = customers.create({
        partnerTenantId: principal.partnerTenantId,
        domain,
        companyName,
        billingProfile: {
          firstName,
          lastName,
          email,
          culture,
          language,
          companyName,
          defaultAddress,
        },
      });
      ctx.status = 201;
      ctx.setHeader('Location', customerPath(customer.id));
      ctx.setHeader('ETag', `"${customer.etag}"`);
      return customerJson(customer);
    } catch (error) {
      if (!(error instanceof DuplicateDomainError)) throw error;
      // Only the owner may see the other customer; anyone else learns the domain is taken.
      const mine = error.existing.partnerTenantId === principal.partnerTenantId;
      throw conflictError({
        code: CODES.duplicateTenant.code,
        description: `${CODES.duplicateTenant.description}: the domain ${domain} is already in use.`,
        resource: {
          objectType: 'Customer',
          field: 'domain',
          value: error.existing.domain,
          ...(mine ? { id: error.existing.id } : {}),
        },
        ...(mine ? { data: [customerJson(error.existing)] } : {}),
        source: SOURCE_FRONT_DOOR,
        cause: error,
      });
    }
  };
}
