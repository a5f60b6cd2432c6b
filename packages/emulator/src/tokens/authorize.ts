/** The authorization hook given to the server's auth mechanism: partner ownership and write roles (403). */

import { ApiError } from '@apifault/contract';
import { noRelationship, roleNotAllowed } from '../errors.js';
import type { CustomerLookup, HeadersRecord } from '../resources/context.js';
import type { EmulatorStore } from '../store/store.js';
import { type Principal, WRITE_ROLES } from './tokens.js';

const CUSTOMER_PATH = /^\/v1\/customers\/([^/]+)/;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function decode(segment: string): string | undefined {
  // Ids are plain GUIDs almost always: nothing to decode.
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The request the hook sees; it records there the customer it read, for the handler. */
export interface AuthorizedRequest {
  /** Upper-case method. */
  method: string;
  /** The path (no query). */
  path: string;
  /** Request headers. */
  headers: HeadersRecord;
  /** Set by {@link authorizeRequest} when the path names a customer. */
  customer: CustomerLookup | undefined;
}

/**
 * Whether `principal` may make this request: a write needs a role in {@link WRITE_ROLES}
 * (else 403 900150), and a customer's resources belong to its partner only (else 403 20002).
 * An unknown customer is left to the handler's 404. The customer read here is kept on
 * `request.customer`, so the handler answers from the same read instead of a second one.
 */
export function authorizeRequest(
  store: EmulatorStore,
  principal: Principal,
  request: AuthorizedRequest,
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
  const customer = store.getCustomer(id);
  request.customer = { id, customer };
  if (customer !== undefined && customer.partnerTenantId !== principal.partnerTenantId) {
    throw new ApiError(noRelationship(principal.partnerTenantId, id));
  }
  return true;
}
