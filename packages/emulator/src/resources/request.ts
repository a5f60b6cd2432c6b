/** What the resource handlers read from a request beyond the server's Context fields. */

import type { Context } from '@apifault/server';
import type { Principal } from '../tokens/tokens.js';

/**
 * Who the bearer token speaks for. The server's auth stage sets `ctx.principal` to what the
 * token service verified before any Partner Center route runs.
 */
export function principalOf(ctx: Context): Principal {
  return ctx.principal as Principal;
}

/** The first value of a request header. */
export function headerValue(ctx: Context, name: string): string | undefined {
  const value = ctx.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
