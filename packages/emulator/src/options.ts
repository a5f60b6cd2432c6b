/** The options of the emulator, shared by `startEmulator`, `createEmulator` and the CLI. */

import type { FaultRule } from '@apifault/server/faults';
import type { LogLevel } from './log.js';
import type { RateLimitGroups, WireFormat } from './throttling.js';
import type { TlsOptions } from './tls.js';

/** The per-partner rate limit: `limit` points per `windowSeconds`; reads and writes cost differently. */
export interface RateLimitOptions {
  /** Points per window. @default 1000 */
  limit: number;
  /** Window length in seconds. @default 10 */
  windowSeconds: number;
  /** Cost of a GET/HEAD. @default 1 */
  readCost?: number;
  /** Cost of a POST/PATCH/PUT/DELETE. @default 5 */
  writeCost?: number;
  /**
   * Other budgets per route group: `partner`, the partner-wide routes, counted per partner
   * tenant; `customer`, the routes under `/v1/customers/{customerId}`, counted per partner and
   * customer. A group without its own takes `limit` and `windowSeconds`.
   * @default {}
   * @example groups: { customer: { limit: 100, windowSeconds: 60 } }
   */
  groups?: RateLimitGroups;
}

export type { WireFormat };

/** Where the request log's JSON lines go (see `logLevel`); `false` silences them. */
export type LogSink = ((line: string) => void) | false;

/** Options of the emulator. */
export interface EmulatorOptions {
  /**
   * The SQLite file (created if missing).
   * @default '.apifault/emulator.db' under the current working directory
   */
  db?: string;
  /** Keep the data in memory only (nothing survives the process). @default false */
  memory?: boolean;
  /** Seed an empty database with partners, customers and subscriptions. @default true */
  seed?: boolean;
  /** Fault rules in force at start. @default [] */
  faults?: readonly FaultRule[];
  /** Seed of the PRNG behind fault probabilities, for replayable runs. @default Date.now() */
  faultSeed?: number;
  /** A Redis URL: the rate-limit counters live there, shared by every emulator using it. @default in memory */
  redis?: string;
  /** The per-partner rate limit, or `false` for none. @default { limit: 1000, windowSeconds: 10 } */
  rateLimit?: RateLimitOptions | false;
  /**
   * How a 429 looks on the wire (the limiter's, a fault rule's, a forced one).
   * @default 'partner-center'
   * @example wire: 'contract'
   */
  wire?: WireFormat;
  /** How long a request body may take to arrive before 408, in ms. @default 10000 */
  bodyTimeoutMs?: number;
  /** How long the commerce step may take before 504, in ms. @default 2000 */
  commerceTimeoutMs?: number;
  /** The realm of `WWW-Authenticate: OAuth realm=…`. @default 'urn:cpsvc:cpid:apifault' */
  realm?: string;
  /** Where request log lines go. @default stdout */
  log?: LogSink;
  /**
   * Which exchanges the request log prints: `silent` none, `error` 5xx answers and aborted
   * exchanges, `warn` 4xx too, `info` every exchange, `debug` every exchange with its target
   * and `User-Agent`. Each line carries its `level`.
   * @default 'error'
   * @example logLevel: 'info'
   */
  logLevel?: LogLevel;
  /**
   * Billing: how many line items each subscription puts on each monthly invoice (the seeded
   * partner's six subscriptions give 3 000 per invoice by default). A volume to page through,
   * not a model of how Partner Center splits charges.
   * @default { linesPerSubscription: 500 }
   * @example billing: { linesPerSubscription: 5000 }
   */
  billing?: { linesPerSubscription?: number };
  /**
   * How long an order from a cart checkout stays `pending` before it is `completed` (its
   * provisioning status `fulfilled`), in ms: a client has to poll. Orders created with
   * `POST …/orders` are completed at once.
   * @default 5000
   * @example provisioningDelayMs: 0
   */
  provisioningDelayMs?: number;
  /** The clock the business rules read (quantity-decrease window). @default () => new Date() */
  now?: () => Date;
  /**
   * The token `/_emulator/*` requires, as `Authorization: Bearer <token>` (1–512 characters
   * of a token68: letters, digits, `-._~+/`, trailing `=`); without one the control plane
   * needs none, and only its Host and Origin checks apply.
   * @default none (`startEmulator` generates one when it listens on a non-loopback address)
   * @example controlToken: process.env.APIFAULT_CONTROL_TOKEN
   */
  controlToken?: string;
  /**
   * Host names `/_emulator/*` accepts in `Host` and `Origin` besides `localhost`,
   * `127.0.0.1`, `[::1]` and the address a request arrived on (`startEmulator` adds its
   * `host`), e.g. a Docker Compose service name.
   * @default []
   * @example controlHosts: ['emulator']
   */
  controlHosts?: readonly string[];
}

/** Options of `startEmulator`: the emulator's plus where to listen. */
export interface StartOptions extends EmulatorOptions {
  /** TCP port; 0 picks a free one. @default 8080 */
  port?: number;
  /**
   * Interface to listen on. Any other than loopback (`127.0.0.1`, `::1`, `localhost`)
   * without a `controlToken` makes `startEmulator` generate one.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * Serve HTTPS with this certificate and key (PEM); `localCertificate(dir)` makes a
   * self-signed one for localhost.
   * @default plain HTTP
   * @example tls: await localCertificate('.apifault')
   */
  tls?: TlsOptions;
}
