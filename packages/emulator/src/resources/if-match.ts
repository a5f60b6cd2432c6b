/** If-Match on the emulator's updates: the server's preconditions mechanism, with Partner Center's codes. */

import { isApiError } from '@apifault/contract';
import { type Context, checkPreconditions } from '@apifault/server';
import { CODES } from '../codes.js';
import { recode } from '../errors.js';

/**
 * Requires `If-Match` naming `etag`: 412 800036 when it is missing, 412 2055 when it names
 * another tag (the contract has no 428, so a missing precondition is a 412 too).
 */
export function requireIfMatch(ctx: Context, etag: string): void {
  try {
    checkPreconditions(ctx, { etag: `"${etag}"` }, { require: true });
  } catch (error) {
    if (!isApiError(error) || error.status !== 412) throw error;
    const missing = ctx.headers['if-match'] === undefined;
    throw recode(error, missing ? CODES.preconditionMissing.code : CODES.etagInvalid.code);
  }
}
