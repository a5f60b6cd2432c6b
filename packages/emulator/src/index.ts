/** @apifault/emulator: a local Partner Center-style API on SQLite that answers every error status on demand. */

export {
  type FaultAction,
  FaultEngine,
  type FaultRule,
  FaultRuleError,
  type FaultRuleInput,
  FORCE_STATUS_HEADER,
  MAX_FAULT_RULES,
  MAX_PATTERN_LENGTH,
  parseFaultRule,
  parseFaultRules,
} from '@apifault/server/faults';
export { createEmulator, type Emulator } from './app.js';
export { emulatorCli } from './cli.js';
export { type CatalogEntry, CODES, type CodeName } from './codes.js';
export { LOG_LEVELS, type LogLevel } from './log.js';
export { buildOpenApi, type OpenApiOptions } from './openapi.js';
export type { EmulatorOptions, LogSink, RateLimitOptions, StartOptions } from './options.js';
export { ReplayLog, type ReplayOptions, type RunningReplay, startReplay } from './replay.js';
export { DECREASE_WINDOW_MS, MAX_QUANTITY } from './resources/subscriptions.js';
export { NOT_MODELLED, ROUTES, type RouteSpec } from './routes.js';
export { type RunningEmulator, startEmulator } from './start.js';
export { DEFAULT_DB_FILE } from './store/database.js';
export { OTHER_PARTNER, SEED_CUSTOMERS, SEED_PARTNER } from './store/seed.js';
export type { RateLimitGroups, WireFormat } from './throttling.js';
export { type GeneratedCertificate, localCertificate, type TlsOptions } from './tls.js';
export { type Principal, TOKEN_AUDIENCE, TOKEN_ISSUER } from './tokens/tokens.js';
