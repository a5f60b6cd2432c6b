/** The customers resource: list (seek paging), create (409 on a taken domain), get. */

import { ApiError } from '@apifault/contract';
import { CODES } from '../codes.js';
import {
  customerNotFound,
  invalidProperties,
  noRelationship,
  SOURCE_FRONT_DOOR,
} from '../errors.js';
import { conflictError } from '../server-parts.js';
import type { CustomerRecord } from '../store/records.js';
import { DuplicateDomainError, type EmulatorStore } from '../store/store.js';
import type { Principal } from '../tokens/tokens.js';
import {
  type CustomerLookup,
  ErrorAnswer,
  headerValue,
  JsonText,
  type ResourceHandler,
} from './context.js';
import { decodeContinuation, encodeContinuation, pageSize } from './paging.js';
import { collectionJson, customerJson, customerJsonText, customerPath, link } from './shapes.js';
import { BodyReader, requireBody } from './validate.js';

const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/**
 * The customer `id` if the token's partner owns it, else the error to answer: 404 when
 * unknown, 403 when another partner's. `known` is the authorization hook's read of the same
 * id, used instead of a second.
 */
export function findOwnedCustomer(
  store: EmulatorStore,
  principal: Principal,
  id: string,
  known?: CustomerLookup,
): CustomerRecord | ErrorAnswer {
  const customer = known !== undefined && known.id === id ? known.customer : store.getCustomer(id);
  if (!customer) return new ErrorAnswer(customerNotFound(id));
  if (customer.partnerTenantId !== principal.partnerTenantId) {
    return new ErrorAnswer(noRelationship(principal.partnerTenantId, id));
  }
  return customer;
}

/** {@link findOwnedCustomer}, throwing its error. */
export function ownedCustomer(
  store: EmulatorStore,
  principal: Principal,
  id: string,
  known?: CustomerLookup,
): CustomerRecord {
  const customer = findOwnedCustomer(store, principal, id, known);
  if (customer instanceof ErrorAnswer) throw new ApiError(customer.error);
  return customer;
}

/** GET /v1/customers */
export function listCustomers(store: EmulatorStore): ResourceHandler {
  return ({ principal, query, headers }) => {
    const size = pageSize(query);
    const token = headerValue(headers, 'ms-continuationtoken');
    const after = token ? decodeContinuation(token) : '';
    const rows = store.listCustomers(principal.partnerTenantId, after, size + 1);
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    const self = link(`/v1/customers?size=${size}`);
    if (rows.length > size && last) {
      const continuationToken = encodeContinuation(last.id);
      const next = link(`/v1/customers?size=${size}`, [
        { key: 'MS-ContinuationToken', value: continuationToken },
      ]);
      return {
        status: 200,
        body: collectionJson(page.map(customerJson), self, { link: next, continuationToken }),
      };
    }
    return { status: 200, body: collectionJson(page.map(customerJson), self) };
  };
}

/** GET /v1/customers/:customerId */
export function getCustomer(store: EmulatorStore): ResourceHandler {
  return ({ principal, params, customer: known }) => {
    // The most requested error is answered as a value: see ErrorAnswer.
    const customer = findOwnedCustomer(store, principal, params.customerId ?? '', known);
    if (customer instanceof ErrorAnswer) return customer;
    return {
      status: 200,
      body: new JsonText(customerJsonText(customer)),
      headers: { ETag: `"${customer.etag}"` },
    };
  };
}

/** POST /v1/customers */
export function createCustomer(store: EmulatorStore): ResourceHandler {
  return async ({ principal, readBody, requestId }) => {
    const raw = requireBody(await readBody());
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
      const customer = store.createCustomer(
        {
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
        },
        undefined,
        requestId === undefined
          ? undefined
          : { partnerTenantId: principal.partnerTenantId, requestId },
      );
      return {
        status: 201,
        body: customerJson(customer),
        headers: { Location: customerPath(customer.id), ETag: `"${customer.etag}"` },
      };
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
