/** @apifault/emulator: a local Partner Center-style API on SQLite that answers every error status on demand. */

export { createEmulator, type Emulator } from './app.js';
export { emulatorCli } from './cli.js';
export { type CatalogEntry, CODES, type CodeName } from './codes.js';
export { FaultEngine } from './faults/engine.js';
export { FaultRuleError } from './faults/fault-rule-error.js';
export { FORCE_STATUS_HEADER } from './faults/inject.js';
export {
  type FaultAction,
  type FaultRule,
  type FaultRuleInput,
  MAX_FAULT_RULES,
  MAX_PATTERN_LENGTH,
  parseFaultRule,
  parseFaultRules,
} from './faults/rules.js';
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
