/**
 * The continuation tokens of invoice line items (`MS-ContinuationToken`): where the next page
 * starts, bound to one invoice version, provider and type, signed with a secret kept in the
 * database, and valid for a limited time. Anything else sent back is the caller's 400.
 */

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MetaStore } from '../store/meta.js';

/** How long a continuation token stays valid after it is issued. */
export const CONTINUATION_TTL_MS = 15 * 60 * 1000;

/** Where a page of line items continues. */
export interface LineItemCursor {
  /** The invoice id. */
  readonly invoiceId: string;
  /** The invoice's version when the token was issued. */
  readonly version: string;
  /** The provider and line item type, lower case (`onetime`, `billinglineitems`). */
  readonly provider: string;
  readonly type: string;
  /** The position of the last item sent. */
  readonly after: number;
}

/** Why a token was refused, for the 400's description. */
export type TokenProblem = 'malformed' | 'signature' | 'expired' | 'other-request' | 'stale';

/** A refused continuation token. */
export class ContinuationTokenError extends Error {
  override name = 'ContinuationTokenError' as const;
  constructor(readonly problem: TokenProblem) {
    super(`continuation token refused: ${problem}`);
  }
}

const SECRET_KEY = 'billing-continuation-secret';
const SIGNATURE_BYTES = 16;

/** Issues and reads continuation tokens with the database's secret. */
export class ContinuationTokens {
  readonly #secret: Buffer;
  readonly #now: () => Date;

  constructor(meta: MetaStore, now: () => Date) {
    this.#secret = Buffer.from(
      meta.ensure(SECRET_KEY, randomBytes(32).toString('base64url')),
      'base64url',
    );
    this.#now = now;
  }

  #sign(payload: string): Buffer {
    return createHmac('sha256', this.#secret).update(payload).digest().subarray(0, SIGNATURE_BYTES);
  }

  /** A token for the page after `cursor`, valid for {@link CONTINUATION_TTL_MS}. */
  issue(cursor: LineItemCursor): string {
    const payload = Buffer.from(
      JSON.stringify([
        cursor.invoiceId,
        cursor.version,
        cursor.provider,
        cursor.type,
        cursor.after,
        this.#now().getTime() + CONTINUATION_TTL_MS,
      ]),
    ).toString('base64url');
    return `${payload}.${this.#sign(payload).toString('base64url')}`;
  }

  /**
   * The cursor a token carries, checked against the request it came with.
   * @throws ContinuationTokenError when it is not one this emulator issued, was altered,
   *   has expired, belongs to another invoice, provider or type, or to an invoice since
   *   generated again.
   */
  read(token: string, expected: Omit<LineItemCursor, 'after'>): LineItemCursor {
    const [payload, signature, extra] = token.split('.');
    if (
      payload === undefined ||
      signature === undefined ||
      extra !== undefined ||
      token.length > 1024
    ) {
      throw new ContinuationTokenError('malformed');
    }
    const given = Buffer.from(signature, 'base64url');
    const wanted = this.#sign(payload);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      throw new ContinuationTokenError('signature');
    }
    let fields: unknown;
    try {
      fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw new ContinuationTokenError('malformed');
    }
    if (!Array.isArray(fields) || fields.length !== 6)
      throw new ContinuationTokenError('malformed');
    const [invoiceId, version, provider, type, after, expires] = fields as unknown[];
    if (
      typeof invoiceId !== 'string' ||
      typeof version !== 'string' ||
      typeof provider !== 'string' ||
      typeof type !== 'string' ||
      !Number.isSafeInteger(after) ||
      typeof expires !== 'number'
    ) {
      throw new ContinuationTokenError('malformed');
    }
    if (this.#now().getTime() > expires) throw new ContinuationTokenError('expired');
    if (
      invoiceId !== expected.invoiceId ||
      provider !== expected.provider ||
      type !== expected.type
    ) {
      throw new ContinuationTokenError('other-request');
    }
    if (version !== expected.version) throw new ContinuationTokenError('stale');
    return { invoiceId, version, provider, type, after: after as number };
  }
}
