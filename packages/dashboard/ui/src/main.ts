/**
 * The dashboard's entry: the host says which tool it is and which panels it has
 * (`ui/host.json`); live traffic and the per-second chart come from the stream, the controls
 * of the panels shown are wired, and the fault counters kept fresh.
 */

import { addSecond } from './chart.js';
import { refreshFaults, setUpFaults, setUpMaintenance, setUpTokens } from './controls.js';
import { follow } from './event-stream.js';
import { addExchange, noteDropped, setUpTraffic } from './traffic.js';
import type { DashboardHost, DashboardPanel, ExchangeSummary, SecondCounts } from './types.js';

const connection = document.getElementById('connection') as HTMLElement;

/** Names the page after its host and shows the host's panels only. */
async function describeHost(): Promise<ReadonlySet<DashboardPanel>> {
  const res = await fetch('ui/host.json');
  if (!res.ok) throw new Error(`ui/host.json answered ${res.status}`);
  const host = (await res.json()) as DashboardHost;
  const panels = new Set(host.panels);
  document.title = host.name;
  (document.getElementById('host-name') as HTMLElement).textContent = host.name;
  for (const section of document.querySelectorAll<HTMLElement>('[data-panel]')) {
    section.hidden = !panels.has(section.dataset.panel as DashboardPanel);
  }
  return panels;
}

/** Wires the controls of the panels shown and reads their state. */
async function setUpControls(panels: ReadonlySet<DashboardPanel>): Promise<void> {
  if (panels.has('faults')) await setUpFaults();
  if (panels.has('maintenance')) await setUpMaintenance();
  if (panels.has('tokens')) setUpTokens();
}

const panels = await describeHost().catch((error: unknown) => {
  connection.textContent = `The page could not ask its host what it is: ${String(error)}`;
  return undefined;
});
if (panels?.has('traffic')) {
  setUpTraffic();
  connection.textContent = 'Connecting…';
  void follow(
    '/_emulator/events',
    ({ event, data }) => {
      if (event === 'exchange') addExchange(JSON.parse(data) as ExchangeSummary);
      else if (event === 'stats') addSecond(JSON.parse(data) as SecondCounts);
      else if (event === 'dropped') noteDropped((JSON.parse(data) as { count: number }).count);
    },
    (connected) => {
      connection.textContent = connected ? 'Live' : 'Disconnected: reconnecting…';
    },
  );
}
if (panels !== undefined) {
  await setUpControls(panels).catch((error: unknown) => {
    connection.textContent = `The controls could not be read: ${String(error)}`;
  });
  // The counters of the fault rules move with the traffic.
  if (panels.has('faults')) setInterval(() => void refreshFaults().catch(() => undefined), 1000);
}
