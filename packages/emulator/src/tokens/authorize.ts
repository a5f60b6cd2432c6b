/** The authorization hook given to the server's auth mechanism: write roles and partner ownership (403). */

import type { RequestInfo } from '@apifault/server';
import { noRelationship, roleNotAllowed } from '../errors.js';
import type { CustomerStore } from '../store/customers.js';
import { type Principal, WRITE_ROLES } from './tokens.js';

const CUSTOMER_PATH = /^\/v1\/customers\/([^/]+)/;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The customer id a path names (`/v1/customers/{id}/…`), percent-decoded; undefined when none. */
function customerIdOf(path: string): string | undefined {
  const segment = CUSTOMER_PATH.exec(path)?.[1];
  // Ids are plain GUIDs almost always: nothing to decode.
  if (segment === undefined || !segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Whether `principal` may make this request: a write needs a role in {@link WRITE_ROLES}
 * (else 403 900150), and a customer's resources belong to its partner only (else 403 20002).
 * An unknown customer is left to the handler's 404. Answers true or throws the 403.
 */
export function authorizeRequest(
  customers: CustomerStore,
  principal: Principal,
  request: RequestInfo,
): true {
  if (
    !READ_METHODS.has(request.method) &&
    !principal.roles.some((role) => WRITE_ROLES.includes(role))
  ) {
    throw roleNotAllowed(principal.roles);
  }
  const id = customerIdOf(request.path);
  if (id === undefined) return true;
  const owner = customers.partnerOf(id);
  if (owner !== undefined && owner !== principal.partnerTenantId) {
    throw noRelationship(principal.partnerTenantId, id);
  }
  return true;
}
