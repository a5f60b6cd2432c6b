/**
 * The dashboard's static files, served by the host itself: `ui/index.html` and
 * `ui/dashboard.css` as written, the page's modules compiled from `ui/src` into `dist/ui`,
 * and `host.json`, which tells the page which tool serves it. Read into a table when the host
 * creates its dashboard: only the names in it are served, so no request can name another file.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file as served. */
export interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

// This module is at src/ or dist/: the package root is one level up.
const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * What the page may load: scripts and styles of its own origin only, no inline code, no
 * framing. Fetches (the stream, the control routes) go to its own origin too.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The page's panels a host may show; the page hides the others. */
export type DashboardPanel = 'traffic' | 'faults' | 'maintenance' | 'tokens';

/** Which tool serves the page (`GET /_emulator/ui/host.json`). */
export interface DashboardHost {
  /** The page's title and heading. @example 'apifault proxy' */
  readonly name: string;
  /** The panels the host has control routes for, in the page's order. */
  readonly panels: readonly DashboardPanel[];
}

/** The page's files by the name the page knows them as (`index.html`, `host.json`, `main.js` …). */
export function dashboardAssets(host: DashboardHost): ReadonlyMap<string, Asset> {
  const files = new Map<string, Asset>();
  const described: DashboardHost = { name: host.name, panels: [...host.panels] };
  files.set('host.json', {
    type: 'application/json; charset=utf-8',
    body: Buffer.from(JSON.stringify(described)),
  });
  const ui = join(PACKAGE_ROOT, 'ui');
  files.set('index.html', {
    type: 'text/html; charset=utf-8',
    body: readFileSync(join(ui, 'index.html')),
  });
  files.set('dashboard.css', {
    type: 'text/css; charset=utf-8',
    body: readFileSync(join(ui, 'dashboard.css')),
  });
  const built = join(PACKAGE_ROOT, 'dist', 'ui');
  let names: string[] = [];
  try {
    names = readdirSync(built);
  } catch {
    // not built: the page loads without its modules and says so
  }
  for (const name of names) {
    if (!name.endsWith('.js')) continue;
    files.set(name, {
      type: 'text/javascript; charset=utf-8',
      body: readFileSync(join(built, name)),
    });
  }
  return files;
}
