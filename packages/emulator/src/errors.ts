/** The emulator's errors: contract factories filled with Partner Center codes and sources. */

import { ApiError, isApiError } from '@apifault/contract';
import type { Exchange } from '@apifault/server';
import { CODES, describe } from './codes.js';

// Every error below is an ApiError, built with `new ApiError` (these statuses need no
// headers, which is all the contract's status factories would add).

/** `source` of errors raised by the front door (auth, routing, throttling, lookups). */
export const SOURCE_FRONT_DOOR = 'PartnerFD';
/** `source` of input validation errors, as the real service's controllers send them. */
export const SOURCE_CONTROLLERS = 'PartnerApiServiceControllers';

/** One field that failed validation, as listed in a 400's `data`. */
export interface FieldProblem {
  /** Dotted path of the field (`companyProfile.domain`). */
  field: string;
  /** What is wrong with it. */
  message: string;
}

/** 400 3000 "Invalid property", one `data` entry per field. */
export function invalidProperties(problems: readonly FieldProblem[]): ApiError {
  const first = problems[0];
  return new ApiError({
    status: 400,
    code: CODES.invalidProperty.code,
    description:
      problems.length === 1 && first
        ? `${CODES.invalidProperty.description}: ${first.field} ${first.message}.`
        : `${CODES.invalidProperty.description}: ${problems.length} fields are not valid.`,
    data: problems.map((p) => ({ field: p.field, message: p.message })),
    source: SOURCE_CONTROLLERS,
  });
}

/** 400 800002 "Invalid request input", with a reason. */
export function invalidInput(reason: string): ApiError {
  return new ApiError({
    status: 400,
    code: CODES.invalidInput.code,
    description: `${CODES.invalidInput.description}: ${reason}`,
    source: SOURCE_CONTROLLERS,
  });
}

/** 404 for an unknown customer. */
export function customerNotFound(id: string): ApiError {
  return new ApiError({
    status: 404,
    code: CODES.customerNotFound.code,
    description: describe('customerNotFound', id),
    data: [],
    source: SOURCE_FRONT_DOOR,
  });
}

/** 404 for an unknown subscription. */
export function subscriptionNotFound(id: string): ApiError {
  return new ApiError({
    status: 404,
    code: CODES.subscriptionNotFound.code,
    description: describe('subscriptionNotFound', id),
    data: [],
    source: SOURCE_FRONT_DOOR,
  });
}

/** 404 for an unknown order. */
export function orderNotFound(id: string): ApiError {
  return new ApiError({
    status: 404,
    code: CODES.orderNotFound.code,
    description: `${CODES.orderNotFound.description}: ${id}`,
    data: [],
    source: SOURCE_FRONT_DOOR,
  });
}

/** 403: the token's partner does not own the customer. */
export function noRelationship(partner: string, customer: string): ApiError {
  return new ApiError({
    status: 403,
    code: CODES.noRelationship.code,
    description: describe('noRelationship', partner, customer),
    data: [],
    source: SOURCE_FRONT_DOOR,
  });
}

/** 403: the token's roles may not write. */
export function roleNotAllowed(roles: readonly string[]): ApiError {
  return new ApiError({
    status: 403,
    code: CODES.roleNotAllowed.code,
    description: `${CODES.roleNotAllowed.description} (roles: ${roles.join(', ') || 'none'}).`,
    data: [],
    source: SOURCE_FRONT_DOOR,
  });
}

/** 412 when If-Match is missing: the contract has no 428. */
export function ifMatchMissing(): ApiError {
  return new ApiError({
    status: 412,
    code: CODES.preconditionMissing.code,
    description: `${CODES.preconditionMissing.description}: If-Match with the subscription's attributes.etag is required.`,
    data: [],
    source: SOURCE_FRONT_DOOR,
  });
}

/** 412 when the ETag is stale. */
export function etagStale(): ApiError {
  return new ApiError({
    status: 412,
    code: CODES.etagInvalid.code,
    description: `${CODES.etagInvalid.description}: read the subscription again and re-apply the change.`,
    data: [],
    source: SOURCE_FRONT_DOOR,
  });
}

/** A 400 business-rule refusal carrying a catalog code. */
export function businessRule(
  name:
    | 'quantityDecrease'
    | 'quantityOutOfRange'
    | 'deletedSubscription'
    | 'suspendedSubscription'
    | 'lineItemNumber',
  ...args: string[]
): ApiError {
  return new ApiError({
    status: 400,
    code: CODES[name].code,
    description: describe(name, ...args),
    data: [],
    source: SOURCE_FRONT_DOOR,
  });
}

/**
 * The same error (status, headers, description, data) with Partner Center's code and source:
 * the status comes from the server's mechanism, the code from the catalog.
 */
export function recode(
  error: ApiError,
  code: string,
  source: string = SOURCE_FRONT_DOOR,
): ApiError {
  return new ApiError({
    status: error.status,
    code,
    ...(error.description === undefined ? {} : { description: error.description }),
    data: error.data ?? [],
    source,
    headers: { ...error.headers },
    expose: error.expose,
    cause: error,
  });
}

/**
 * The server's `onError`: gives Partner Center's codes to the errors the toolkit raises
 * itself, which carry no `source` (every error of the emulator has one). The bearer
 * mechanism's 401 gets 800001 without a token and 400 with a refused one; a 400 of the body
 * reader or the path policy, 800002 with the controllers' source, as the emulator's own input
 * errors; a 501 (an unmodelled route, an unknown method), 0. Anything else is answered as
 * thrown.
 */
export function partnerCenterCodes(error: unknown, exchange: Exchange): unknown {
  if (!isApiError(error) || error.source !== undefined) return error;
  switch (error.status) {
    case 401:
      return recode(
        error,
        exchange.headers['authorization'] === undefined
          ? CODES.tokenMissing.code
          : CODES.accessDenied.code,
      );
    case 400:
      return recode(error, CODES.invalidInput.code, SOURCE_CONTROLLERS);
    case 501:
      return recode(error, CODES.notImplemented.code);
    default:
      return error;
  }
}
