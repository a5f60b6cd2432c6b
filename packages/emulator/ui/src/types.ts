/**
 * What the emulator sends the page: the shapes of `src/dashboard/exchange-details.ts` and
 * of the control routes, restated here because the page is compiled on its own.
 */

/** One row of the live list (`event: exchange`). */
export interface ExchangeSummary {
  seq: number;
  time: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  requestId: string;
  correlationId: string;
  partner: string | null;
  aborted: boolean;
}

/** A body as shown, secrets redacted. */
export interface ShownBody {
  text: string;
  bytes: number;
  truncated: boolean;
}

/** `GET /_emulator/exchanges/:seq`. */
export interface ExchangeDetails extends ExchangeSummary {
  target: string;
  requestHeaders: Record<string, string>;
  requestBody: ShownBody | null;
  responseHeaders: Record<string, string>;
  responseBody: ShownBody | null;
  curl: string;
}

/** Requests of one second by status class (`event: stats`). */
export interface SecondCounts {
  time: number;
  counts: Record<'1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'aborted', number>;
}

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
