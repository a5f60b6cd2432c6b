/**
 * The dashboard's static files, served by the emulator itself: `ui/index.html` and
 * `ui/dashboard.css` as written, and the page's modules compiled from `ui/src` into
 * `dist/ui`. Read into a table when the emulator registers the dashboard's routes: only the
 * names in it are served, so no request can name another file.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file as served. */
export interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

// This module is at src/dashboard/ or dist/dashboard/: the package root is two levels up.
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

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

/** The page's files by the name the page knows them as (`index.html`, `dashboard.css`, `main.js` …). */
export function dashboardAssets(): ReadonlyMap<string, Asset> {
  const files = new Map<string, Asset>();
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
