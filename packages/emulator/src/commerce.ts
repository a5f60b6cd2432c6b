/**
 * The simulated upstream "commerce" dependency: an in-process service reached through the
 * server's `callUpstream` with an in-process `fetch`, failing or hanging when a `commerce`
 * fault rule fires. Order creation and subscription updates await it.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { isApiError } from '@apifault/contract';
import { callUpstream } from '@apifault/server';
import type { FaultEngine } from '@apifault/server/faults';
import { CODES } from './codes.js';
import { recode } from './errors.js';

/** The simulated upstream commerce step that order creation and subscription updates go through. */
export type CommerceStep = (operation: 'createOrder' | 'updateSubscription') => Promise<void>;

/** The URL the commerce calls carry; never resolved, the in-process fetch answers it. */
const COMMERCE_URL = 'http://commerce.apifault.invalid/v1/provision';

function waitForAbort(signal: AbortSignal | null | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return;
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** The commerce service itself: answers as the fault rules say, else 200 `{ "status": "provisioned" }`. */
function commerceFetch(faults: FaultEngine): typeof fetch {
  return async (_input, init) => {
    const signal = init?.signal ?? undefined;
    const rule = faults.matchCommerce();
    if (rule && rule.delayMs > 0) await sleep(rule.delayMs, undefined, signal ? { signal } : {});
    switch (rule?.action.type) {
      case 'status':
        return new Response(JSON.stringify({ error: 'commerce failed' }), {
          status: rule.action.status,
          headers: { 'content-type': 'application/json' },
        });
      case 'timeout':
      case 'hang':
        return waitForAbort(signal);
      case 'drop':
        // What undici throws when the peer resets the connection.
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('other side closed'), { code: 'ECONNRESET' }),
        });
      default:
        return new Response('{"status":"provisioned"}', {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
    }
  };
}

/** Options of {@link createCommerceStep}. */
export interface CommerceOptions {
  /** The fault rules (`commerce=…`) that make the upstream fail. */
  faults: FaultEngine;
  /** How long the emulator waits for commerce before answering 504. @default 2000 */
  timeoutMs?: number;
}

/**
 * The commerce step: the server's upstream mechanism turns a timeout into 504 (aborting the
 * call) and a reset or an error answer into 502; the emulator adds Partner Center's code.
 */
export function createCommerceStep(options: CommerceOptions): CommerceStep {
  const timeoutMs = options.timeoutMs ?? 2000;
  const fetchImpl = commerceFetch(options.faults);
  return async (operation) => {
    const failed =
      operation === 'createOrder' ? CODES.createOrderFailed : CODES.updateSubscriptionFailed;
    try {
      await callUpstream(COMMERCE_URL, {
        name: 'commerce',
        timeoutMs,
        fetch: fetchImpl,
        init: { method: 'POST', body: JSON.stringify({ operation }) },
      });
    } catch (error) {
      throw isApiError(error) && (error.status === 502 || error.status === 504)
        ? recode(error, failed.code)
        : error;
    }
  };
}
