/**
 * The dashboard's routes on the emulator's app: the page (`/_emulator/`) and its files
 * (`/_emulator/ui/*`), which hold no data and need no control token; the live traffic stream
 * (`/_emulator/events`) and a recorded exchange (`/_emulator/exchanges/:seq`), which do (the
 * control plane's gate decides). `@apifault/dashboard` answers each; the details of an
 * exchange go out through the pipeline like every JSON answer.
 */

import { DASHBOARD_PATH, type Dashboard, EVENTS_PATH } from '@apifault/dashboard';
import type { App, Context } from '@apifault/server';

function idHeaders(ctx: Context): Record<string, string> {
  return { 'ms-requestid': ctx.requestId, 'ms-correlationid': ctx.correlationId };
}

/** Registers the routes of `dashboard` on `app`. */
export function dashboardRoutes(app: App, dashboard: Dashboard): void {
  app.get('/_emulator', (ctx) => dashboard.redirect(ctx.res, idHeaders(ctx)));
  app.get(DASHBOARD_PATH, (ctx) => dashboard.asset(ctx.res, 'index.html', idHeaders(ctx)));
  app.get('/_emulator/ui/:name', (ctx) =>
    dashboard.asset(ctx.res, ctx.params.name ?? '', idHeaders(ctx)),
  );
  app.get(EVENTS_PATH, (ctx) => dashboard.events(ctx.res, idHeaders(ctx)));
  app.get('/_emulator/exchanges/:seq', (ctx) => dashboard.exchange(ctx.params.seq ?? ''));
}
