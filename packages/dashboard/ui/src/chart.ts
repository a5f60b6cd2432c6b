/**
 * Requests per second by status class over the last minute: a stacked bar per second,
 * drawn in SVG from the host's `stats` events.
 */

import type { SecondCounts } from './types.js';

const SECONDS = 60;
const WIDTH = 600;
const HEIGHT = 120;
const CLASSES = ['2xx', '3xx', '4xx', '5xx', 'aborted', '1xx'] as const;
const SVG = 'http://www.w3.org/2000/svg';

const seconds: SecondCounts[] = [];

/** Adds a second and redraws. */
export function addSecond(second: SecondCounts): void {
  seconds.push(second);
  if (seconds.length > SECONDS) seconds.shift();
  draw();
}

function total(second: SecondCounts): number {
  return CLASSES.reduce((sum, name) => sum + second.counts[name], 0);
}

function draw(): void {
  const bars = document.getElementById('chart-bars') as unknown as SVGGElement;
  const max = Math.max(1, ...seconds.map(total));
  const bar = WIDTH / SECONDS;
  const parts: SVGElement[] = [];
  seconds.forEach((second, index) => {
    const x = (SECONDS - seconds.length + index) * bar;
    let y = HEIGHT;
    for (const name of CLASSES) {
      const count = second.counts[name];
      if (count === 0) continue;
      const height = (count / max) * (HEIGHT - 10);
      y -= height;
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('x', x.toFixed(1));
      rect.setAttribute('y', y.toFixed(1));
      rect.setAttribute('width', (bar - 1).toFixed(1));
      rect.setAttribute('height', height.toFixed(1));
      rect.setAttribute('class', `s${name}`);
      parts.push(rect);
    }
  });
  bars.replaceChildren(...parts);
  const last = seconds[seconds.length - 1];
  const summary = document.getElementById('chart-summary') as HTMLElement;
  if (last !== undefined) {
    const counts = CLASSES.filter((name) => last.counts[name] > 0)
      .map((name) => `${last.counts[name]} ${name === 'aborted' ? 'without answer' : name}`)
      .join(', ');
    summary.textContent = `Last second: ${counts || 'no requests'}; peak of the last minute: ${max} per second.`;
  }
  noteUnlisted(last?.unlisted ?? 0);
}

/** Says how many of the last second's exchanges the list skipped: the host lists a bounded number a second. */
function noteUnlisted(count: number): void {
  const note = document.getElementById('unlisted') as HTMLElement;
  note.hidden = count === 0;
  note.textContent =
    count === 0
      ? ''
      : `${count} exchanges of the last second are counted in the chart but not listed: the list shows the first ones of each second.`;
}
