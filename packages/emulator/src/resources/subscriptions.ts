/** The subscriptions resource: list, get, and PATCH under If-Match with an atomic compare-and-set. */

import type { Context, RouteHandler } from '@apifault/server';
import { BodyReader, requireBody } from '../body-reader.js';
import type { CommerceStep } from '../commerce.js';
import { cancellationWindowPassed } from '../commerce-errors.js';
import { businessRule, etagStale, invalidProperties, subscriptionNotFound } from '../errors.js';
import type { EmulatorStore } from '../store/emulator-store.js';
import type {
  SubscriptionChanges,
  SubscriptionRecord,
  SubscriptionStatus,
} from '../store/records.js';
import { ownedCustomer } from './customers.js';
import { requireIfMatch } from './if-match.js';
import { principalOf } from './request.js';
import { collectionJson, customerPath, link, subscriptionJson } from './shapes.js';

/** The largest seat count a subscription may hold. */
export const MAX_QUANTITY = 10_000;

/**
 * How long after creation a subscription's quantity may still go down: Partner Center's
 * cancellation window (7 days, 168 h). Past it, a decrease is 400 800090. Deterministic: it
 * depends only on the stored creation date and the clock the emulator is given.
 */
export const DECREASE_WINDOW_MS = 7 * 24 * 3600 * 1000;

const STATUSES: readonly SubscriptionStatus[] = ['active', 'suspended', 'deleted'];

function loadSubscription(store: EmulatorStore, ctx: Context): SubscriptionRecord {
  const customer = ownedCustomer(store.customers, principalOf(ctx), ctx.params.customerId ?? '');
  const id = ctx.params.subscriptionId ?? '';
  const subscription = store.subscriptions.get(customer.id, id);
  if (!subscription) throw subscriptionNotFound(id);
  return subscription;
}

/** GET /v1/customers/:customerId/subscriptions */
export function listSubscriptions(store: EmulatorStore): RouteHandler {
  return (ctx) => {
    const customer = ownedCustomer(store.customers, principalOf(ctx), ctx.params.customerId ?? '');
    const items = store.subscriptions.list(customer.id).map(subscriptionJson);
    return collectionJson(items, link(`${customerPath(customer.id)}/subscriptions`));
  };
}

/** GET /v1/customers/:customerId/subscriptions/:subscriptionId */
export function getSubscription(store: EmulatorStore): RouteHandler {
  return (ctx) => {
    const subscription = loadSubscription(store, ctx);
    ctx.setHeader('ETag', `"${subscription.etag}"`);
    return subscriptionJson(subscription);
  };
}

function readChanges(raw: unknown): SubscriptionChanges {
  const read = new BodyReader();
  const body = read.object(raw, 'body');
  const changes: SubscriptionChanges = {};
  // The quantity's range is a business rule with its own code (2002), checked later.
  const quantity = read.integer(body.quantity, 'quantity', {
    min: Number.MIN_SAFE_INTEGER,
    max: Number.MAX_SAFE_INTEGER,
  });
  const friendlyName = read.string(body.friendlyName, 'friendlyName', { max: 256 });
  const status = read.oneOf(body.status, 'status', STATUSES);
  const autoRenewEnabled = read.boolean(body.autoRenewEnabled, 'autoRenewEnabled');
  if (read.problems.length > 0) throw invalidProperties(read.problems);
  if (quantity !== undefined) changes.quantity = quantity;
  if (friendlyName !== undefined) changes.friendlyName = friendlyName;
  if (status !== undefined) changes.status = status;
  if (autoRenewEnabled !== undefined) changes.autoRenewEnabled = autoRenewEnabled;
  return changes;
}

/**
 * The business rules of an update; each refusal is a 400 with Partner Center's code. Status
 * moves: active → suspended (suspend), suspended → active (reactivate), active or suspended →
 * deleted (cancel) within the cancellation window only (900117 after it); nothing leaves
 * deleted (2011). A suspended subscription keeps its quantity and auto-renew unless the same
 * request reactivates it (800091).
 */
function checkRules(current: SubscriptionRecord, changes: SubscriptionChanges, now: Date): void {
  if (current.status === 'deleted') throw businessRule('deletedSubscription', current.id);
  const inWindow = now.getTime() - Date.parse(current.createdAt) <= DECREASE_WINDOW_MS;
  if (changes.status === 'deleted' && !inWindow) {
    throw cancellationWindowPassed(DECREASE_WINDOW_MS / (24 * 3600 * 1000));
  }
  const quantity = changes.quantity;
  const quantityChanges = quantity !== undefined && quantity !== current.quantity;
  const renewChanges =
    changes.autoRenewEnabled !== undefined && changes.autoRenewEnabled !== current.autoRenewEnabled;
  if (
    current.status === 'suspended' &&
    changes.status !== 'active' &&
    (quantityChanges || renewChanges)
  )
    throw businessRule('suspendedSubscription');
  if (!quantityChanges) return;
  if (quantity < 1 || quantity > MAX_QUANTITY) throw businessRule('quantityOutOfRange');
  if (quantity < current.quantity && !inWindow) throw businessRule('quantityDecrease');
}

/** Options of {@link patchSubscription}. */
export interface PatchDependencies {
  store: EmulatorStore;
  commerce: CommerceStep;
  now: () => Date;
}

/**
 * PATCH /v1/customers/:customerId/subscriptions/:subscriptionId. If-Match is required (412
 * when missing or stale, from the server's preconditions mechanism); the write is a
 * compare-and-set on the ETag read, so of many concurrent updates carrying one ETag exactly
 * one lands and the rest get 412.
 */
export function patchSubscription({ store, commerce, now }: PatchDependencies): RouteHandler {
  return async (ctx) => {
    const raw = await ctx.json();
    const current = loadSubscription(store, ctx);
    requireIfMatch(ctx, current.etag);
    const changes = readChanges(requireBody(raw));
    checkRules(current, changes, now());
    // A cancelled subscription does not renew.
    if (changes.status === 'deleted') changes.autoRenewEnabled = false;
    await commerce('updateSubscription');
    const updated = store.subscriptions.update(current, current.etag, changes);
    if (!updated) throw etagStale();
    ctx.setHeader('ETag', `"${updated.etag}"`);
    return subscriptionJson(updated);
  };
}
