/**
 * Debian's Chromium under Playwright for the dashboard's tests and screenshot: never a
 * downloaded browser, a fresh profile each time, nothing that reaches the network.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';

/** Where Debian's package (`apt-get install chromium`) puts the browser. */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser context on a fresh profile; `close()` removes the profile too. */
export async function launchChromium(): Promise<{
  context: BrowserContext;
  close: () => Promise<void>;
}> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does).`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'apifault-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Compiles the dashboard's page modules (`ui/` to `dist/ui/`), as `tsc -b` does for the package. */
export function buildDashboard(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const ui = fileURLToPath(new URL('../../ui', import.meta.url));
  execFileSync(process.execPath, [tsc, '-b', ui], { stdio: 'inherit' });
}
