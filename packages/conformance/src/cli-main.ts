/** checkCli: the `apifault check` command (of the `apifault` package), callable in-process. */

import { parseArgs } from 'node:util';
import { checkConformance } from './check.js';
import { CheckOptionsError } from './check-options-error.js';
import { formatJson } from './format/json.js';
import { formatJunit } from './format/junit.js';
import { formatTable } from './format/table.js';
import { TargetUnreachableError } from './target-unreachable-error.js';
import { type CheckOptions, isProbeName, PROBE_NAMES, type ProbeName } from './types.js';

/** A stream the CLI writes to. */
export interface CliStream {
  write(text: string): unknown;
  /** Whether it is a terminal: colour and the progress line depend on it. */
  isTTY?: boolean;
}

/** Where the CLI writes and what environment it reads. */
export interface CliIo {
  /** @default process.stdout */
  stdout?: CliStream;
  /** @default process.stderr */
  stderr?: CliStream;
  /** `NO_COLOR`, `APIFAULT_TOKEN`. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** The fetch used for every request. @default globalThis.fetch */
  fetch?: CheckOptions['fetch'];
}

/** The usage text. */
export const USAGE = `Usage: apifault check <baseUrl> [options]

Probes a running API and reports where its error answers break the Partner Center contract.

Options:
  --token <token>          bearer token for the probes that need a valid one (or APIFAULT_TOKEN)
  --openapi <url|file>     OpenAPI 3.0/3.1 JSON document: routes, methods, security, If-Match
  --path '[METHODS ]/p'    a route to probe without a document, repeatable (GET when no methods)
  --format <f>             table (default), json or junit
  --only <p>[,<p>]         run only these probes: ${PROBE_NAMES.join(', ')}
  --burst                  also run the burst probe (at most 200 requests in 10 s)
  --timeout <ms>           per-request timeout (default 10000)
  -h, --help               this text

Exit codes: 0 conforms (warnings allowed), 1 errors found, 2 target unreachable, bad usage,
or the token refused (a 401 to the token given; without one, every probe needing it refused).
`;

function parse(argv: readonly string[], env: CliIo['env']) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      token: { type: 'string' },
      openapi: { type: 'string' },
      path: { type: 'string', multiple: true },
      format: { type: 'string', default: 'table' },
      only: { type: 'string', multiple: true },
      burst: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true as const };
  if (positionals.length !== 1) throw new CheckOptionsError('Give exactly one <baseUrl>.');
  const format = values.format;
  if (format !== 'table' && format !== 'json' && format !== 'junit') {
    throw new CheckOptionsError(`--format must be table, json or junit, not \`${format}\`.`);
  }
  const options: CheckOptions = { baseUrl: positionals[0]! };
  const token = values.token ?? env?.['APIFAULT_TOKEN'];
  if (token) options.token = token;
  if (values.openapi) options.openapi = values.openapi;
  if (values.path) options.paths = values.path;
  if (values.only) {
    const names = values.only.flatMap((list) => list.split(',')).map((name) => name.trim());
    const unknown = names.filter((name) => name !== '' && !isProbeName(name));
    if (unknown.length > 0) {
      throw new CheckOptionsError(
        `Unknown probe ${unknown.join(', ')}; the probes are ${PROBE_NAMES.join(', ')}.`,
      );
    }
    options.probes = names.filter(isProbeName) as ProbeName[];
  }
  if (values.burst) options.burst = true;
  if (values.timeout !== undefined) {
    const ms = Number(values.timeout);
    if (!Number.isInteger(ms) || ms <= 0) {
      throw new CheckOptionsError(`--timeout must be a positive whole number of ms.`);
    }
    options.timeoutMs = ms;
  }
  return { help: false as const, options, format };
}

/**
 * Runs `apifault check` with `argv` (the arguments after the command name) and resolves to
 * the exit code: 0 conforming, 1 violations (errors), 2 unreachable target, the token
 * refused (see `summary.refusedByAuthentication`), bad usage or an internal error. Never calls `process.exit`.
 *
 * @example process.exitCode = await checkCli(['http://127.0.0.1:3000', '--path', '/v1/customers']);
 */
export async function checkCli(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv, env);
  } catch (error) {
    stderr.write(
      `apifault check: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`,
    );
    return 2;
  }
  if (parsed.help) {
    stdout.write(USAGE);
    return 0;
  }
  const { options, format } = parsed;
  if (io.fetch) options.fetch = io.fetch;
  const progress = stderr.isTTY === true;
  if (progress) {
    options.onProgress = (event) => {
      const line = `[${event.done}/${event.total}] ${event.probe} ${event.target}`;
      stderr.write(`\r\x1b[K${line.slice(0, 100)}`);
    };
  }
  try {
    const report = await checkConformance(options);
    if (progress) stderr.write('\r\x1b[K');
    const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
    const text =
      format === 'json'
        ? formatJson(report)
        : format === 'junit'
          ? formatJunit(report)
          : formatTable(report, { color: stdout.isTTY === true && !noColor });
    stdout.write(text);
    if (report.summary.errors > 0) return 1;
    // A green run that checked nothing would let a CI job with an expired token pass.
    if (report.summary.refusedByAuthentication) {
      const { refused, probes } = report.summary;
      stderr.write(
        options.token === undefined
          ? `apifault check: every probe that needs a token was refused with 401 or 403 (${refused} of ${probes} requests) and no token was given: the token is missing; pass one with --token or APIFAULT_TOKEN.\n`
          : `apifault check: ${refused} of ${probes} requests were refused with 401 or 403: the token is expired or wrong, so nothing behind authentication was checked; pass a valid one with --token or APIFAULT_TOKEN.\n`,
      );
      return 2;
    }
    return 0;
  } catch (error) {
    if (progress) stderr.write('\r\x1b[K');
    if (error instanceof TargetUnreachableError || error instanceof CheckOptionsError) {
      stderr.write(`apifault check: ${error.message}\n`);
      return 2;
    }
    // A bug of the checker's own: exit 1 would read as "the API has violations".
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    stderr.write(`apifault check: internal error, please report it:\n${detail}\n`);
    return 2;
  }
}
