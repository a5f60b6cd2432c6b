/** The dashboard's entry: live traffic and the per-second chart from the stream, the controls, and the fault counters kept fresh. */

import { addSecond } from './chart.js';
import { refreshFaults, setUpControls } from './controls.js';
import { follow } from './event-stream.js';
import { addExchange, noteDropped, setUpTraffic } from './traffic.js';
import type { ExchangeSummary, SecondCounts } from './types.js';

const connection = document.getElementById('connection') as HTMLElement;

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
await setUpControls().catch((error: unknown) => {
  connection.textContent = `The controls could not be read: ${String(error)}`;
});
// The counters of the fault rules move with the traffic.
setInterval(() => void refreshFaults().catch(() => undefined), 1000);
