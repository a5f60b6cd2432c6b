/** `apifault proxy`: the command, in-process. It runs until SIGINT or SIGTERM (or `io.stop`), then reports. */

import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { FaultRuleError, type FaultRuleFile, faultRulesFromArgs } from '@apifault/server/faults';
import { type RunningProxy, startProxy } from './proxy.js';
import { formatViolation } from './violations.js';

/** A stream the command writes to. */
export interface ProxyCliStream {
  write(text: string): unknown;
}

/** Where the command writes, and what stops it. */
export interface ProxyCliIo {
  /** @default process.stdout */
  stdout?: ProxyCliStream;
  /** @default process.stderr */
  stderr?: ProxyCliStream;
  /** Stops the proxy when it aborts. @default SIGINT or SIGTERM */
  stop?: AbortSignal;
  /** Called once the proxy listens. @default none */
  onListening?: (proxy: RunningProxy) => void;
}

/** The usage text. */
export const PROXY_USAGE = `Usage: apifault proxy --upstream <url> [options]

Forwards every request to <url> (http or https), injects the fault rules given, and checks
every upstream error answer against the Partner Center error contract.

  --upstream <url>     the API to put the proxy in front of (required)
  --port <n>           port to listen on (default 8081; 0 picks a free one)
  --host <address>     address to listen on (default 127.0.0.1)
  --fault <rule>       a fault rule, repeatable: '[METHOD ]PATH=ACTION[,p=0.5][,first=3][,delay=200][,retryAfter=30]'
                       ACTION: a 4xx/5xx status, delay, hang, drop, upstream-delay or truncate
  --faults <file>      fault rules as JSON ({ "rules": [...] })
  --seed <n>           seed of the rules' probabilities
  --timeout <ms>       how long the upstream may take to answer before a 504 (default 30000)
  --wire <format>      an injected 429 as partner-center sends it (default) or as the contract's body
  --record <file.har>  write every exchange as HAR 1.2 on exit (Authorization, cookies, tokens redacted)
  --junit <file>       write the checked error answers as JUnit XML on exit

Stop with Ctrl-C (SIGINT) or SIGTERM: the summary is printed and the files written. Exits 1
when an upstream answer broke the contract, 2 on bad usage, else 0.
`;

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
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer ${min}–${max}`);
  }
  return n;
}

/** The rule file `--faults` names, read; undefined without the flag. */
function ruleFile(file: string | undefined): FaultRuleFile | undefined {
  try {
    return file === undefined ? undefined : { name: file, text: readFileSync(file, 'utf8') };
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function parse(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      upstream: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      fault: { type: 'string', multiple: true },
      faults: { type: 'string' },
      seed: { type: 'string' },
      timeout: { type: 'string' },
      wire: { type: 'string' },
      record: { type: 'string' },
      junit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  if (values.upstream === undefined) throw new UsageError('--upstream <url> is required');
  let upstream: URL;
  try {
    upstream = new URL(values.upstream);
  } catch {
    throw new UsageError(`--upstream: "${values.upstream}" is not a URL`);
  }
  if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') {
    throw new UsageError('--upstream must be an http:// or https:// URL');
  }
  const wire = values.wire ?? 'partner-center';
  if (wire !== 'partner-center' && wire !== 'contract') {
    throw new UsageError('--wire must be partner-center or contract');
  }
  const port = integer(values.port, 'port', 0, 65_535);
  const seed = integer(values.seed, 'seed', 0, 2 ** 32 - 1);
  const timeoutMs = integer(values.timeout, 'timeout', 1, 600_000);
  return {
    options: {
      upstream,
      wire,
      faults: faultRulesFromArgs(values.fault ?? [], ruleFile(values.faults), 'proxy'),
      record: values.record !== undefined,
      ...(port === undefined ? {} : { port }),
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(seed === undefined ? {} : { seed }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    } as const,
    record: values.record,
    junit: values.junit,
  };
}

/** The signal of SIGINT / SIGTERM, listened to only while the proxy runs. */
function signalStop(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

/**
 * Runs `apifault proxy` with `argv` (the arguments after `proxy`) until stopped, then prints the
 * summary and writes the HAR and JUnit files. Resolves to the exit code: 1 when an upstream
 * answer broke the contract (an error, not a warning), 2 on bad usage or when it cannot listen,
 * else 0. Never calls `process.exit`.
 */
export async function proxyCli(argv: readonly string[], io: ProxyCliIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof FaultRuleError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      stderr.write(`apifault proxy: ${(error as Error).message}\n\n${PROXY_USAGE}`);
      return 2;
    }
    throw error;
  }
  if (parsed === undefined) {
    stdout.write(PROXY_USAGE);
    return 0;
  }
  const stop = io.stop ? { signal: io.stop, dispose() {} } : signalStop();
  let proxy: RunningProxy;
  try {
    proxy = await startProxy({
      ...parsed.options,
      onViolation: (answer) => {
        for (const violation of answer.violations) {
          stdout.write(`violation: ${formatViolation(answer, violation)}\n`);
        }
      },
    });
  } catch (error) {
    stop.dispose();
    stderr.write(`apifault proxy: cannot start: ${(error as Error).message}\n`);
    return 2;
  }
  const rules = parsed.options.faults.length;
  stdout.write(
    `apifault proxy: ${proxy.url} → ${parsed.options.upstream.href}${rules > 0 ? ` (${rules} fault rule${rules === 1 ? '' : 's'})` : ''}\n` +
      `apifault proxy: dashboard (live traffic, faults) at ${proxy.url}/_emulator/\n`,
  );
  io.onListening?.(proxy);
  if (!stop.signal.aborted) {
    await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
  }
  stop.dispose();
  await proxy.close();
  if (parsed.record !== undefined && proxy.har) {
    await proxy.har.write(parsed.record);
    stdout.write(`apifault proxy: ${proxy.har.size} exchanges recorded in ${parsed.record}\n`);
  }
  if (parsed.junit !== undefined) {
    await writeFile(parsed.junit, proxy.violations.formatJunit(parsed.options.upstream.href));
    stdout.write(`apifault proxy: JUnit written to ${parsed.junit}\n`);
  }
  stdout.write(`apifault proxy: ${proxy.violations.formatSummary()}\n`);
  return proxy.violations.summary().errors > 0 ? 1 : 0;
}
