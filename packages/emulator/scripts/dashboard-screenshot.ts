/**
 * Writes docs/dashboard.png: the dashboard under traffic (a mix of answers, a fault rule, a
 * request opened), in Debian's Chromium. Run from the repository root after `npm run build`:
 * node --conditions=source --import tsx packages/emulator/scripts/dashboard-screenshot.ts
 */

import { fileURLToPath } from 'node:url';
import { SEED_CUSTOMERS, startEmulator } from '@apifault/emulator';
import { buildDashboard, launchChromium } from '../../dashboard/test/helpers/chromium.js';

const out = fileURLToPath(new URL('../docs/dashboard.png', import.meta.url));
buildDashboard();
const emu = await startEmulator({ memory: true, port: 0, log: false, faultSeed: 42 });
const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  await page.goto(`${emu.url}/_emulator/`);
  await page.locator('#connection', { hasText: 'Live' }).waitFor();
  await page.fill('#fault-rule', 'GET /v1/customers/*/subscriptions=503,p=0.3');
  await page.click('#add-fault button[type=submit]');
  const headers = { authorization: `Bearer ${await emu.token()}` };
  const paths = [
    '/v1/customers',
    `/v1/customers/${SEED_CUSTOMERS.adatum}`,
    `/v1/customers/${SEED_CUSTOMERS.adatum}/subscriptions`,
    '/v1/customers/00000000-0000-4000-8000-000000000000',
    '/v1/invoices',
  ];
  for (let second = 0; second < 8; second++) {
    for (let i = 0; i < 12; i++) {
      await fetch(`${emu.url}${paths[(i + second) % paths.length]}`, { headers });
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await page.locator('#exchanges tbody tr button.path').first().click();
  await page.locator('#curl', { hasText: 'curl' }).waitFor();
  await page.screenshot({ path: out, fullPage: true });
  process.stdout.write(`wrote ${out}\n`);
} finally {
  await browser.close();
  await emu.close();
}
