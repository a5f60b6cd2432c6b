/** `POST /_emulator/tokens`: mints a bearer token for a partner tenant, for tests and curl. */

import { invalidProperties } from '../errors.js';
import { BodyReader } from '../resources/validate.js';
import type { Context } from '../server-parts.js';
import { SEED_PARTNER } from '../store/seed.js';
import type { EmulatorStore } from '../store/store.js';
import { DEFAULT_ROLES, type TokenService } from './tokens.js';

/** A partner tenant id: a GUID or a similar plain token. */
export const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.-]{0,127}$/;
const ROLE_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** The route handler: body `{ partner?, roles?, ttl? }`, answer `{ accessToken, tokenType, expiresIn, partner, roles }`. */
export function mintRoute(store: EmulatorStore, tokens: TokenService) {
  return async (ctx: Context): Promise<unknown> => {
    const read = new BodyReader();
    const body = read.object((await ctx.json()) ?? {}, 'body');
    const partner =
      read.string(body.partner, 'partner', { max: 128, pattern: TENANT_PATTERN }) ?? SEED_PARTNER;
    const ttl = read.integer(body.ttl, 'ttl', { min: 1, max: 31 * 24 * 3600 }) ?? 3600;
    let roles: string[] = [...DEFAULT_ROLES];
    if (body.roles !== undefined) {
      if (!Array.isArray(body.roles) || body.roles.length > 16) {
        read.problems.push({
          field: 'roles',
          message: 'must be an array of at most 16 role names',
        });
      } else {
        roles = body.roles.map(
          (role: unknown, i: number) =>
            read.string(role, `roles[${i}]`, { pattern: ROLE_PATTERN }) ?? '',
        );
      }
    }
    if (read.problems.length > 0) throw invalidProperties(read.problems);
    store.ensurePartner(partner);
    const accessToken = await tokens.mint({ partner, roles, ttlSeconds: ttl });
    ctx.status = 201;
    return { accessToken, tokenType: 'Bearer', expiresIn: ttl, partner, roles };
  };
}
