/** 501: a handler for routes the service declares but does not implement. */

import { notImplemented } from '@apifault/contract';

/**
 * Makes a route handler that always throws 501, for an operation the API declares but this
 * service does not offer (the route still counts for 404/405 and `Allow`).
 *
 * @param description what the caller is told. @default 'This operation is not implemented.'
 * @example router.post('/v1/customers/:id/transfers', notImplementedRoute('Transfers are not available in this emulator.'))
 */
export function notImplementedRoute(
  description = 'This operation is not implemented.',
): (...args: unknown[]) => never {
  return () => {
    throw notImplemented(description);
  };
}
