/** The emulator's commands of `apifault` (the `apifault` package): `start` the emulator, mint a `token`. */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FaultRuleError, type FaultRuleFile, faultRulesFromArgs } from '@apifault/server/faults';
import { checkControlToken } from './control-plane.js';
import { ENVIRONMENT, environmentArgs } from './environment.js';
import { isLogLevel, LOG_LEVELS, type LogLevel } from './log.js';
import type { RateLimitOptions, StartOptions } from './options.js';
import { startReplay } from './replay.js';
import { startEmulator } from './start.js';
import { DEFAULT_DB_FILE, findDatabaseFile, openDatabase } from './store/database.js';
import { EmulatorStore } from './store/emulator-store.js';
import { SEED_CUSTOMERS, SEED_PARTNER } from './store/seed.js';
import { type GeneratedCertificate, localCertificate, type TlsOptions } from './tls.js';
import { TENANT_PATTERN, TokenService } from './tokens/tokens.js';

const USAGE = `apifault: a local Partner Center-style API that produces every error status on demand.

Usage:
  apifault start [--port 8080] [--host 127.0.0.1] [--db file | --memory] [--no-seed]
                 [--redis url] [--seed n] [--fault rule]... [--faults file.json]
                 [--rate-limit 1000/10s | off] [--body-timeout ms] [--commerce-timeout ms] [--quiet]
                 [--provisioning-delay ms]
                 [--wire partner-center | contract]
                 [--control-token token] [--control-host name]...
                 [--tls | --cert file --key file] [--log silent|error|warn|info|debug]
  apifault start --replay file.har [--port 8080] [--host 127.0.0.1]
  apifault token [--partner tenant] [--roles a,b] [--ttl 3600] [--db file]
  apifault check <baseUrl> [options]      (apifault check --help)
  apifault proxy --upstream <url> [options]      (apifault proxy --help)

Database: without --db (or --memory), start and token use the nearest ${DEFAULT_DB_FILE}
in the current directory or a directory above it; start creates one in the current directory
when there is none, token never does (it exits 1).

HTTPS: --tls serves a self-signed certificate for localhost, 127.0.0.1 and ::1, generated once
beside the database (its path is printed, with how to trust it); --cert/--key serve your own.

Request log (stdout, one JSON line per exchange): --log error (default) prints 5xx answers and
aborted exchanges, warn adds 4xx, info every exchange, debug adds target and User-Agent;
silent (or --quiet) prints none.

Environment (a flag given wins): ${ENVIRONMENT.map((v) => v.name).join(', ')},
APIFAULT_CONTROL_TOKEN, APIFAULT_WIRE; a malformed value exits 1 naming the variable.

Fault rule: [METHOD ]PATH=ACTION[,p=0.5][,first=3][,delay=200][,retryAfter=30]
  ACTION is a 4xx/5xx status, hang, drop, delay (needs delay=ms) or timeout (commerce only);
  retryAfter (seconds) only with 429 or 503
  e.g. --fault 'GET /v1/customers/*=503,p=0.5'  --fault 'commerce=timeout'

Wire: a 429 is sent as Partner Center sends it ({"statusCode":429,"message":…}, Retry-After,
no RateLimit headers); --wire contract (or APIFAULT_WIRE=contract) sends the contract's body
and the RateLimit headers instead.

Control plane (/_emulator/*): answers only a Host (and Origin) naming localhost, 127.0.0.1,
[::1], the address it listens on or a --control-host. --control-token (or the environment
variable APIFAULT_CONTROL_TOKEN) makes it require "Authorization: Bearer <token>"; listening
on another address than loopback without one, start generates one and prints it.
`;

/** A command-line mistake: printed with the usage, exit code 2. */
class UsageError extends Error {
  override name = 'UsageError' as const;
}

function integer(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer ${min}–${max}`);
  return n;
}

function logLevel(value: string): LogLevel {
  if (!isLogLevel(value)) throw new UsageError(`--log must be one of ${LOG_LEVELS.join(', ')}`);
  return value;
}

function rateLimit(value: string | undefined): RateLimitOptions | false | undefined {
  if (value === undefined) return undefined;
  if (value === 'off') return false;
  const match = /^(\d+)\/(\d+)s$/.exec(value);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
    throw new UsageError('--rate-limit must look like 1000/10s (points per seconds) or off');
  }
  return { limit: Number(match[1]), windowSeconds: Number(match[2]) };
}

/** The rule file `--faults` names, read; undefined without the flag. */
function ruleFile(file: string | undefined): FaultRuleFile | undefined {
  try {
    return file ? { name: file, text: readFileSync(file, 'utf8') } : undefined;
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function readPem(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${flag} ${file}: ${(error as Error).message}`);
  }
}

/** `apifault start --replay file.har`: the recorded answers, no database, until SIGINT or SIGTERM. */
async function replay(
  file: string,
  port: string | undefined,
  host: string | undefined,
): Promise<void> {
  const running = await startReplay({
    file,
    port: integer(port, 'port', 0, 65535) ?? 8080,
    host: host ?? '127.0.0.1',
  });
  process.stdout.write(
    `apifault replaying ${file} on ${running.url} (${running.recorded} recorded requests)\n`,
  );
  const stop = (): void => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function start(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...environmentArgs('start', argv), ...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      memory: { type: 'boolean' },
      'no-seed': { type: 'boolean' },
      redis: { type: 'string' },
      seed: { type: 'string' },
      fault: { type: 'string', multiple: true },
      faults: { type: 'string' },
      'rate-limit': { type: 'string' },
      'body-timeout': { type: 'string' },
      'commerce-timeout': { type: 'string' },
      'provisioning-delay': { type: 'string' },
      quiet: { type: 'boolean' },
      log: { type: 'string' },
      tls: { type: 'boolean' },
      cert: { type: 'string' },
      key: { type: 'string' },
      'control-token': { type: 'string' },
      'control-host': { type: 'string', multiple: true },
      wire: { type: 'string' },
      replay: { type: 'string' },
    },
  });
  if (values.replay !== undefined) return replay(values.replay, values.port, values.host);
  if (values.db && values.memory) throw new UsageError('--db and --memory exclude each other');
  const controlToken = values['control-token'] ?? (process.env.APIFAULT_CONTROL_TOKEN || undefined);
  if (controlToken !== undefined) {
    try {
      checkControlToken(controlToken);
    } catch (error) {
      throw new UsageError(
        `--control-token (or APIFAULT_CONTROL_TOKEN): ${(error as Error).message}`,
      );
    }
  }
  const options: StartOptions = {
    port: integer(values.port, 'port', 0, 65535) ?? 8080,
    host: values.host ?? '127.0.0.1',
    seed: !values['no-seed'],
    faults: faultRulesFromArgs(values.fault ?? [], ruleFile(values.faults)),
    ...(values.memory
      ? { memory: true }
      : { db: values.db ?? findDatabaseFile() ?? DEFAULT_DB_FILE }),
    ...(values.redis ? { redis: values.redis } : {}),
    ...(values.quiet ? { log: false as const } : {}),
    ...(values.log === undefined ? {} : { logLevel: logLevel(values.log) }),
    ...(controlToken === undefined ? {} : { controlToken }),
    ...(values['control-host'] ? { controlHosts: values['control-host'] } : {}),
  };
  const wire = values.wire ?? (process.env.APIFAULT_WIRE || undefined);
  if (wire !== undefined) {
    if (wire !== 'partner-center' && wire !== 'contract') {
      throw new UsageError('--wire (or APIFAULT_WIRE) must be partner-center or contract');
    }
    options.wire = wire;
  }
  const faultSeed = integer(values.seed, 'seed', 0, 2 ** 32 - 1);
  if (faultSeed !== undefined) options.faultSeed = faultSeed;
  const limit = rateLimit(values['rate-limit']);
  if (limit !== undefined) options.rateLimit = limit;
  const bodyTimeout = integer(values['body-timeout'], 'body-timeout', 1, 600_000);
  if (bodyTimeout !== undefined) options.bodyTimeoutMs = bodyTimeout;
  const commerceTimeout = integer(values['commerce-timeout'], 'commerce-timeout', 1, 600_000);
  if (commerceTimeout !== undefined) options.commerceTimeoutMs = commerceTimeout;
  const provisioningDelay = integer(
    values['provisioning-delay'],
    'provisioning-delay',
    0,
    86_400_000,
  );
  if (provisioningDelay !== undefined) options.provisioningDelayMs = provisioningDelay;

  if ((values.cert === undefined) !== (values.key === undefined))
    throw new UsageError('--cert and --key (APIFAULT_CERT, APIFAULT_KEY) go together');
  // The generated certificate lives beside the database, so later starts reuse it.
  let generated: GeneratedCertificate | undefined;
  let tls: TlsOptions | undefined;
  if (values.cert !== undefined && values.key !== undefined) {
    tls = { cert: readPem(values.cert, '--cert'), key: readPem(values.key, '--key') };
  } else if (values.tls) {
    generated = await localCertificate(
      options.memory ? resolve('.apifault') : dirname(resolve(options.db ?? DEFAULT_DB_FILE)),
    );
    tls = generated;
  }
  if (tls) options.tls = { cert: tls.cert, key: tls.key };

  const emulator = await startEmulator(options);
  const token = await emulator.token(SEED_PARTNER);
  const customer =
    emulator.emulator.store.customers.get(SEED_CUSTOMERS.adatum)?.id ??
    emulator.emulator.store.customers.list(SEED_PARTNER, '', 1)[0]?.id;
  const auth = shellQuote(`Authorization: Bearer ${token}`);
  const curl = generated ? `curl -s --cacert ${shellQuote(generated.certFile)}` : 'curl -s';
  const lines = [
    `${curl} -H ${auth} ${emulator.url}/v1/customers`,
    customer
      ? `${curl} -H ${auth} ${emulator.url}/v1/customers/${customer}/subscriptions`
      : `${curl} ${emulator.url}/openapi.json`,
    `${curl} -i -H ${auth} ${emulator.url}/v1/customers/00000000-0000-4000-8000-000000000000`,
  ];
  const trust = generated
    ? [
        `TLS certificate (self-signed for localhost, 127.0.0.1, ::1; ${generated.created ? 'generated' : 'reused'}): ${generated.certFile}`,
        `  trust it in Node: NODE_EXTRA_CA_CERTS=${shellQuote(generated.certFile)}; in curl: --cacert ${shellQuote(generated.certFile)}`,
      ]
    : [];
  const where = options.memory ? 'in memory' : resolve(options.db ?? DEFAULT_DB_FILE);
  // A generated control token is printed: nobody else knows it. A given one is not echoed.
  const control =
    emulator.controlToken === undefined
      ? []
      : controlToken === undefined
        ? [
            `Control token for /_emulator/* (generated: ${options.host} is not loopback; send "Authorization: Bearer <token>"):`,
            `  ${emulator.controlToken}`,
          ]
        : ['/_emulator/* requires the control token given (Authorization: Bearer <token>).'];
  process.stdout.write(
    [
      `apifault emulator listening on ${emulator.url} (database ${where})`,
      `Bearer token for partner ${SEED_PARTNER} (valid 1 hour; more with "apifault token"):`,
      `  ${token}`,
      ...control,
      ...trust,
      'Try (a list of customers, their subscriptions, and a 404):',
      ...lines.map((line) => `  ${line}`),
      `Dashboard (live traffic, faults): ${emulator.url}/_emulator/`,
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function token(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...environmentArgs('token', argv), ...argv],
    options: {
      partner: { type: 'string' },
      roles: { type: 'string' },
      ttl: { type: 'string' },
      db: { type: 'string' },
    },
  });
  const partner = values.partner ?? SEED_PARTNER;
  if (!TENANT_PATTERN.test(partner))
    throw new UsageError('--partner must be a tenant id (letters, digits, - and .)');
  const roles = values.roles
    ?.split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  const ttl = integer(values.ttl, 'ttl', 1, 31 * 24 * 3600) ?? 3600;
  // The secret lives in the database: a token is valid for emulators using the same file, so
  // the file is found as start finds it, and never created (a new one would hold a new secret).
  const file = values.db ?? findDatabaseFile();
  if (file === undefined) {
    throw new Error(
      `no emulator database (${DEFAULT_DB_FILE}) in ${process.cwd()} or any directory above it: run "apifault start" first, or pass --db <file>`,
    );
  }
  if (!existsSync(file)) {
    throw new Error(
      `no emulator database at ${resolve(file)}: run "apifault start --db ${file}" first`,
    );
  }
  const store = new EmulatorStore(openDatabase({ file }));
  try {
    store.partners.ensure(partner);
    const tokens = new TokenService(store.meta);
    process.stdout.write(
      `${await tokens.mint({ partner, ttlSeconds: ttl, ...(roles ? { roles } : {}) })}\n`,
    );
  } finally {
    store.close();
  }
}

/**
 * Runs `apifault start`, `apifault token` or the help, with `argv` the arguments after the
 * program (`['start', '--port', '0']`); resolves with the exit code (2: bad usage, 1: failure).
 * `start` resolves once the emulator listens, and stops it on SIGINT or SIGTERM.
 *
 * @example process.exitCode = await emulatorCli(['token', '--roles', 'AdminAgent']);
 */
export async function emulatorCli(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        await start(rest);
        return 0;
      case 'token':
        await token(rest);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof FaultRuleError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`apifault: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`apifault: ${(error as Error).message}\n`);
    return 1;
  }
}
