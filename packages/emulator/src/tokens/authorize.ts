/** The authorization hook given to the server's auth mechanism: partner ownership and write roles (403). */

import { noRelationship, roleNotAllowed } from '../errors.js';
import type { EmulatorStore } from '../store/store.js';
import { type Principal, WRITE_ROLES } from './tokens.js';

const CUSTOMER_PATH = /^\/v1\/customers\/([^/]+)/;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Whether `principal` may make this request: a write needs a role in {@link WRITE_ROLES}
 * (else 403 900150), and a customer's resources belong to its partner only (else 403 20002).
 * An unknown customer is left to the handler's 404.
 */
export function authorizeRequest(
  store: EmulatorStore,
  principal: Principal,
  request: { method: string; path: string },
): boolean {
  if (
    !READ_METHODS.has(request.method) &&
    !principal.roles.some((role) => WRITE_ROLES.includes(role))
  ) {
    throw roleNotAllowed(principal.roles);
  }
  const match = CUSTOMER_PATH.exec(request.path);
  const id = match?.[1] === undefined ? undefined : decode(match[1]);
  if (id === undefined) return true;
  const owner = store.customerPartner(id);
  if (owner !== undefined && owner !== principal.partnerTenantId) {
    throw noRelationship(principal.partnerTenantId, id);
  }
  return true;
}
