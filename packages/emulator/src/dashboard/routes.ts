/**
 * The dashboard's routes on the control plane: the page (`/_emulator/`) and its files
 * (`/_emulator/ui/*`), which hold no data and need no control token; the live traffic
 * stream (`/_emulator/events`) and a recorded exchange (`/_emulator/exchanges/:seq`),
 * which do. The page drives the emulator through the JSON control routes, like any client.
 */

import { notFound } from '@apifault/contract';
import type { App, Context } from '@apifault/server';
import { invalidInput } from '../errors.js';
import { type Asset, CONTENT_SECURITY_POLICY, dashboardAssets } from './assets.js';
import type { Traffic } from './traffic.js';

/** The page's address. */
export const DASHBOARD_PATH = '/_emulator/';

/** The live traffic stream's address. */
export const EVENTS_PATH = '/_emulator/events';

const EVENT_STREAM = ['text/event-stream'] as const;
const PAGE = ['text/html'] as const;

/**
 * The media types the dashboard's routes answer in besides JSON (the server's `produces`
 * option): a request that asks for them with `Accept` is not refused 406.
 */
export function dashboardMediaTypes(exchange: {
  readonly path: string;
}): readonly string[] | undefined {
  if (exchange.path === EVENTS_PATH) return EVENT_STREAM;
  if (exchange.path === DASHBOARD_PATH) return PAGE;
  return undefined;
}

function idHeaders(ctx: Context): Record<string, string> {
  return { 'ms-requestid': ctx.requestId, 'ms-correlationid': ctx.correlationId };
}

function serveAsset(ctx: Context, assets: ReadonlyMap<string, Asset>, name: string): void {
  const asset = assets.get(name);
  if (asset === undefined) throw notFound(`The dashboard has no file ${name}.`);
  ctx.res.writeHead(200, {
    ...idHeaders(ctx),
    'content-type': asset.type,
    'content-length': String(asset.body.length),
    'cache-control': 'no-cache',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  ctx.res.end(asset.body);
}

/** Registers the dashboard's routes on `app`. */
export function dashboardRoutes(app: App, traffic: Traffic): void {
  const assets = dashboardAssets();
  app.get('/_emulator', (ctx) => {
    ctx.res.writeHead(308, { ...idHeaders(ctx), location: DASHBOARD_PATH });
    ctx.res.end();
  });
  app.get(DASHBOARD_PATH, (ctx) => serveAsset(ctx, assets, 'index.html'));
  app.get('/_emulator/ui/:name', (ctx) => serveAsset(ctx, assets, ctx.params.name ?? ''));
  app.get(EVENTS_PATH, (ctx) => {
    traffic.open(ctx.res, idHeaders(ctx));
  });
  app.get('/_emulator/exchanges/:seq', (ctx) => {
    const text = ctx.params.seq ?? '';
    if (!/^[1-9]\d{0,15}$/.test(text)) {
      throw invalidInput('the exchange number must be a positive integer.');
    }
    const details = traffic.details(Number(text));
    if (details === undefined) {
      throw notFound(
        `Exchange ${text} is no longer kept: the dashboard keeps the last ones while a page is open.`,
      );
    }
    return details;
  });
}
