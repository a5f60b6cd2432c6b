/**
 * `apifault` settings from the environment, as containers pass them: each variable stands
 * for a flag, and a flag given on the command line wins over it. A malformed value is
 * refused here, naming the variable, before the command runs.
 */

import { existsSync } from 'node:fs';
import { isLogLevel, LOG_LEVELS } from './log.js';

/** A variable the environment may set, and the flag it stands for. */
export interface EnvironmentVariable {
  /** The variable, e.g. `APIFAULT_PORT`. */
  readonly name: string;
  /** The flag it stands for, without `--`. */
  readonly flag: string;
  /** The commands that read it. */
  readonly commands: readonly ('start' | 'token')[];
  /** A switch: `1`, `true`, `yes` or `on` sets it; `0`, `false`, `no`, `off` or empty does not. */
  readonly boolean?: true;
  /** Flags that exclude it: given on the command line, the variable is not read. */
  readonly excludedBy?: readonly string[];
  /** Why `value` is refused, or undefined when it is fine. */
  readonly refuse?: (value: string) => string | undefined;
}

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off', ''];

function integerIn(min: number, max: number): (value: string) => string | undefined {
  return (value) =>
    /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max
      ? undefined
      : `must be an integer ${min}–${max}`;
}

function existingFile(value: string): string | undefined {
  return existsSync(value) ? undefined : 'names no file';
}

/** Every variable `apifault` reads, in the order its README lists them. */
export const ENVIRONMENT: readonly EnvironmentVariable[] = [
  { name: 'APIFAULT_PORT', flag: 'port', commands: ['start'], refuse: integerIn(0, 65535) },
  {
    name: 'APIFAULT_HOST',
    flag: 'host',
    commands: ['start'],
    refuse: (v) => (v.trim() === '' ? 'is empty' : undefined),
  },
  {
    name: 'APIFAULT_DB',
    flag: 'db',
    commands: ['start', 'token'],
    excludedBy: ['memory'],
    refuse: (v) => (v.trim() === '' ? 'is empty' : undefined),
  },
  {
    name: 'APIFAULT_LOG',
    flag: 'log',
    commands: ['start'],
    excludedBy: ['quiet'],
    refuse: (v) => (isLogLevel(v) ? undefined : `must be one of ${LOG_LEVELS.join(', ')}`),
  },
  { name: 'APIFAULT_TLS', flag: 'tls', commands: ['start'], boolean: true },
  { name: 'APIFAULT_CERT', flag: 'cert', commands: ['start'], refuse: existingFile },
  { name: 'APIFAULT_KEY', flag: 'key', commands: ['start'], refuse: existingFile },
  {
    name: 'APIFAULT_REDIS',
    flag: 'redis',
    commands: ['start'],
    refuse: (v) => (/^rediss?:\/\//.test(v) ? undefined : 'must be a redis:// or rediss:// URL'),
  },
  {
    name: 'APIFAULT_PROVISIONING_DELAY',
    flag: 'provisioning-delay',
    commands: ['start'],
    refuse: integerIn(0, 86_400_000),
  },
  {
    name: 'APIFAULT_RATE_LIMIT',
    flag: 'rate-limit',
    commands: ['start'],
    refuse: (v) =>
      /^(?:[1-9]\d*\/[1-9]\d*s|off)$/.test(v)
        ? undefined
        : 'must look like 1000/10s (points per seconds) or off',
  },
];

/** A malformed environment variable: the command exits 1, naming it. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError' as const;
}

function given(argv: readonly string[], flag: string): boolean {
  return argv.some((arg) => arg === `--${flag}` || arg.startsWith(`--${flag}=`));
}

/**
 * The flags the environment sets for `command`, to put before `argv` (so its own flags
 * win): a variable whose flag, or a flag excluding it, is in `argv` is not read.
 *
 * @throws EnvironmentError naming a variable whose value is refused
 */
export function environmentArgs(
  command: 'start' | 'token',
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const args: string[] = [];
  for (const variable of ENVIRONMENT) {
    const value = env[variable.name];
    if (value === undefined || !variable.commands.includes(command)) continue;
    if ([variable.flag, ...(variable.excludedBy ?? [])].some((flag) => given(argv, flag))) continue;
    if (variable.boolean) {
      const word = value.trim().toLowerCase();
      if (TRUE.includes(word)) args.push(`--${variable.flag}`);
      else if (!FALSE.includes(word)) {
        throw new EnvironmentError(
          `${variable.name}=${value}: must be 1, true, yes, on, or 0, false, no, off`,
        );
      }
      continue;
    }
    const why = variable.refuse?.(value);
    if (why !== undefined) throw new EnvironmentError(`${variable.name}=${value}: ${why}`);
    args.push(`--${variable.flag}=${value}`);
  }
  return args;
}
