/**
 * The live list: a row per exchange, newest first, at most {@link MAX_ROWS} of them (rows
 * arriving faster than frames are added together once per frame), filtered by status
 * class, route and partner; a row's path opens its headers, bodies and curl line.
 */

import { ControlError, controlJson } from './api.js';
import type { ExchangeDetails, ExchangeSummary, ShownBody } from './types.js';

/** The most rows the list keeps; older ones are removed as new ones come. */
export const MAX_ROWS = 300;

const rows = new Map<HTMLTableRowElement, ExchangeSummary>();
let pending: ExchangeSummary[] = [];
let drawing = false;

function element<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

/** The status class of a status, as the CSS names it. */
export function statusClass(status: number): string {
  return status === 0 ? 'caborted' : `c${Math.floor(status / 100)}xx`;
}

function cell(row: HTMLTableRowElement, text: string, className?: string): HTMLTableCellElement {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function matches(summary: ExchangeSummary): boolean {
  const status = element<HTMLSelectElement>('filter-status').value;
  const route = element<HTMLInputElement>('filter-route').value.trim();
  const partner = element<HTMLInputElement>('filter-partner').value.trim().toLowerCase();
  if (status !== '' && String(Math.floor(summary.status / 100)) !== status) return false;
  if (route !== '' && !summary.path.includes(route)) return false;
  if (partner !== '' && !(summary.partner ?? '').toLowerCase().includes(partner)) return false;
  return true;
}

function rowOf(summary: ExchangeSummary): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.dataset.seq = String(summary.seq);
  cell(row, new Date(summary.time).toLocaleTimeString());
  cell(row, summary.method);
  const open = document.createElement('button');
  open.type = 'button';
  open.className = 'path';
  open.textContent = summary.path;
  open.addEventListener('click', () => void openDetails(row, summary));
  row.insertCell().append(open);
  const status = document.createElement('span');
  status.className = `status ${statusClass(summary.status)}`;
  status.textContent = summary.status === 0 ? 'none' : String(summary.status);
  row.insertCell().append(status);
  cell(row, summary.durationMs.toFixed(1));
  cell(row, summary.requestId, 'id');
  cell(row, summary.correlationId, 'id');
  cell(row, summary.partner ?? '', 'id');
  row.hidden = !matches(summary);
  return row;
}

function flush(): void {
  drawing = false;
  const body = element<HTMLTableElement>('exchanges').tBodies[0] as HTMLTableSectionElement;
  const batch = pending.slice(-MAX_ROWS);
  pending = [];
  const fragment = document.createDocumentFragment();
  for (let i = batch.length - 1; i >= 0; i--) {
    const summary = batch[i] as ExchangeSummary;
    const row = rowOf(summary);
    rows.set(row, summary);
    fragment.append(row);
  }
  body.prepend(fragment);
  while (rows.size > MAX_ROWS) {
    const last = body.lastElementChild as HTMLTableRowElement;
    rows.delete(last);
    last.remove();
  }
}

/** Adds an exchange to the list (drawn at the next frame). */
export function addExchange(summary: ExchangeSummary): void {
  pending.push(summary);
  if (pending.length > MAX_ROWS) pending = pending.slice(-MAX_ROWS);
  if (drawing) return;
  drawing = true;
  requestAnimationFrame(flush);
}

function headersText(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}

function bodyText(body: ShownBody | null): string {
  if (body === null) return '(none)';
  return body.truncated ? `${body.text}\n… (${body.bytes} bytes in all)` : body.text;
}

async function openDetails(row: HTMLTableRowElement, summary: ExchangeSummary): Promise<void> {
  for (const selected of document.querySelectorAll('tr.selected'))
    selected.classList.remove('selected');
  row.classList.add('selected');
  const panel = element<HTMLElement>('details');
  panel.hidden = false;
  element<HTMLElement>('details-title').textContent =
    `${summary.method} ${summary.path} → ${summary.status === 0 ? 'no answer' : summary.status}`;
  const fields = ['request-headers', 'request-body', 'response-headers', 'response-body', 'curl'];
  for (const id of fields) element<HTMLElement>(id).textContent = '…';
  try {
    const details = await controlJson<ExchangeDetails>(`/_emulator/exchanges/${summary.seq}`);
    element<HTMLElement>('request-headers').textContent =
      `${details.method} ${details.target}\n${headersText(details.requestHeaders)}`;
    element<HTMLElement>('request-body').textContent = bodyText(details.requestBody);
    element<HTMLElement>('response-headers').textContent =
      `${details.status}\n${headersText(details.responseHeaders)}`;
    element<HTMLElement>('response-body').textContent = bodyText(details.responseBody);
    element<HTMLElement>('curl').textContent = details.curl;
  } catch (error) {
    const text = error instanceof ControlError ? error.description : String(error);
    for (const id of fields) element<HTMLElement>(id).textContent = '';
    element<HTMLElement>('request-headers').textContent = text;
  }
}

/** Wires the filters, the clear button and the curl copy button. */
export function setUpTraffic(): void {
  // Scrolled boxes take keyboard focus, so they scroll without a mouse (WCAG 2.1.1).
  for (const box of document.querySelectorAll<HTMLElement>('#traffic .scroll, #details pre')) {
    box.tabIndex = 0;
  }
  const refilter = (): void => {
    for (const [row, summary] of rows) row.hidden = !matches(summary);
  };
  element<HTMLFormElement>('filters').addEventListener('input', refilter);
  element<HTMLFormElement>('filters').addEventListener('submit', (event) => event.preventDefault());
  element<HTMLButtonElement>('clear-rows').addEventListener('click', () => {
    for (const row of rows.keys()) row.remove();
    rows.clear();
    element<HTMLElement>('details').hidden = true;
  });
  element<HTMLButtonElement>('copy-curl').addEventListener('click', () => {
    void navigator.clipboard?.writeText(element<HTMLElement>('curl').textContent ?? '');
  });
}

/** Says how many events the host dropped because the page fell behind. */
export function noteDropped(count: number): void {
  const note = element<HTMLElement>('dropped');
  const before = Number(note.dataset.total ?? 0);
  note.dataset.total = String(before + count);
  note.textContent = `${before + count} exchanges were not shown: the page fell behind the traffic.`;
  note.hidden = false;
}
