/** The purchase flow's errors: contract errors with Partner Center's codes for the catalog, carts, provisioning and subscription changes. */

import { ApiError } from '@apifault/contract';
import { CODES, type CodeName, describe } from './codes.js';
import { SOURCE_FRONT_DOOR } from './errors.js';

function fail(status: number, name: CodeName, description: string, data: unknown[] = []): ApiError {
  return new ApiError({
    status,
    code: CODES[name].code,
    description,
    data,
    source: SOURCE_FRONT_DOOR,
  });
}

/** 404 400013: no product with this id. */
export function productNotFound(id: string): ApiError {
  return fail(404, 'productNotFound', `${CODES.productNotFound.description} (${id})`);
}

/** 404 400018: the product has no SKU with this id. */
export function skuNotFound(productId: string, id: string): ApiError {
  return fail(404, 'skuNotFound', `${CODES.skuNotFound.description} (${productId}/${id})`);
}

/** 404 400019: the SKU has no availability with this id. */
export function availabilityNotFound(productId: string, skuId: string, id: string): ApiError {
  return fail(
    404,
    'availabilityNotFound',
    `${CODES.availabilityNotFound.description} (${productId}/${skuId}/${id})`,
  );
}

/** 403 400036: a catalog view the emulator does not serve. */
export function targetViewNotAllowed(view: string): ApiError {
  return fail(
    403,
    'targetViewNotAllowed',
    `${CODES.targetViewNotAllowed.description} (targetView=${view})`,
  );
}

/** 404 800008: no such cart, or an Active cart past its expiration. */
export function cartNotFound(id: string, expiredAt?: string): ApiError {
  const why = expiredAt === undefined ? '' : `: the cart expired at ${expiredAt}`;
  return fail(404, 'cartNotFound', `${CODES.cartNotFound.description} ${id}${why}.`);
}

/** 400 800065: the cart was checked out already, so its lines can no longer change. */
export function cartSubmitted(id: string): ApiError {
  return fail(
    400,
    'cartSubmitted',
    `${describe('cartSubmitted', id)} Its line items cannot be updated; create a new cart.`,
  );
}

/** One cart line that failed validation, as listed in the 800009's `data`. */
export interface CartLineProblem {
  /** The line's `id`. */
  lineItemId: number;
  /** Partner Center's code for the problem (800004, 800017 …). */
  code: string;
  /** What is wrong, naming the allowed values. */
  errorDescription: string;
}

/** 400 800009: the cart's lines that are not valid, one `data` entry each. */
export function cartItemErrors(problems: readonly CartLineProblem[]): ApiError {
  const first = problems[0];
  const description =
    problems.length === 1 && first
      ? `${CODES.cartItemErrors.description}: line ${first.lineItemId}: ${first.errorDescription}`
      : `${CODES.cartItemErrors.description}: ${problems.length} line items are not valid.`;
  return fail(400, 'cartItemErrors', description, [...problems]);
}

/** 404 800007: the order named has no provisioning information (it does not exist). */
export function provisioningNotFound(orderId: string): ApiError {
  return fail(
    404,
    'provisioningNotFound',
    `${CODES.provisioningNotFound.description} for order ${orderId}.`,
  );
}

/** 400 900117: cancellation asked after the cancellation window. */
export function cancellationWindowPassed(days: number): ApiError {
  return fail(400, 'cancellationWindowPassed', describe('cancellationWindowPassed', String(days)));
}
