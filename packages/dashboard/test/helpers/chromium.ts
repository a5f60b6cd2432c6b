/**
 * Debian's Chromium under Playwright for the dashboard's tests and screenshot (the emulator's
 * and the proxy's): never a downloaded browser, a fresh profile each time, nothing that
 * reaches the network; what went wrong on a page, and axe-core's scan of it.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

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

/** What went wrong on a page from now on: console errors, failed requests, error answers. */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
  });
  return problems;
}

/** An axe-core violation, as the tests report it. */
export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
}

/** Runs axe-core in the page; resolves with its serious and critical violations. */
export async function graveViolations(page: Page): Promise<AxeViolation[]> {
  const axePath = createRequire(import.meta.url).resolve('axe-core');
  await page.evaluate(readFileSync(axePath, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: () => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map(({ id, impact, help }) => ({ id, impact, help }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
