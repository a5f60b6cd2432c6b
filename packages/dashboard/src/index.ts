/** @apifault/dashboard: the live traffic of an apifault host (the emulator, the proxy) and the page that shows it. */

export type { DashboardHost, DashboardPanel } from './assets.js';
export {
  type ExchangeDetails,
  type ExchangeSummary,
  REDACTED,
  type ShownBody,
} from './exchange-details.js';
export {
  BodyRecorder,
  type CompletedExchange,
  ExchangeFeed,
  type ExchangeFeedOptions,
  type ExchangeListener,
  MAX_LISTED_PER_SECOND,
  MAX_RECORDED_BODY,
  RecordedBody,
  type SkippedListener,
} from './exchange-feed.js';
export {
  type AnswerHead,
  DASHBOARD_PATH,
  Dashboard,
  type DashboardHandler,
  dashboardMediaTypes,
  EVENTS_PATH,
} from './routes.js';
export { KEPT_EXCHANGES, type SecondCounts, Traffic } from './traffic.js';
