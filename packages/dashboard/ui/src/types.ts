/**
 * What the host sends the page: the shapes of the live traffic and of the page's description,
 * imported from the server-side modules that produce them (types only: nothing of them is
 * loaded by the page), and those of the fault control routes.
 */

export type { DashboardHost, DashboardPanel } from '../../src/assets.js';
export type { ExchangeDetails, ExchangeSummary, ShownBody } from '../../src/exchange-details.js';
export type { SecondCounts } from '../../src/traffic.js';

/** A rule as `GET /_emulator/faults` shows it. */
export interface FaultRuleView {
  /** Its id: `DELETE /_emulator/faults/{id}` removes it. */
  id: number;
  method: string;
  path: string;
  action: number | string;
  probability: number;
  delayMs: number;
  first?: number;
  retryAfter?: number;
  calls: number;
  fired: number;
}

/** `GET /_emulator/faults`. */
export interface FaultsView {
  seed: number;
  rules: FaultRuleView[];
}
