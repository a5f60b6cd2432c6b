/**
 * Fault rules: their shape, the one-line `--fault` syntax and the JSON form, both validated.
 * The emulator and the proxy share them; each refuses the actions only the other can play.
 */

import { FaultRuleError } from './fault-rule-error.js';
import { compilePathPattern } from './path-pattern.js';

/** What a rule does when it fires. */
export type FaultAction =
  /** Answer this status (a contract error body, with the status's required headers). */
  | { type: 'status'; status: number }
  /** Never answer; the connection stays open until the client gives up. */
  | { type: 'hang' }
  /** Destroy the socket without answering. */
  | { type: 'drop' }
  /** Only wait `delayMs`, then serve the request normally. */
  | { type: 'delay' }
  /** Emulator, commerce target only: the upstream call never returns, so the deadline gives 504. */
  | { type: 'timeout' }
  /** Proxy only: forward the request, then hold the upstream's answer `delayMs` before sending it. */
  | { type: 'upstream-delay' }
  /** Proxy only: send the upstream's status and headers and half its body, then cut the connection. */
  | { type: 'truncate' };

/** Who plays the rules: the emulator (the `commerce` target, `timeout`) or the proxy (`upstream-delay`, `truncate`). */
export type FaultRuleHost = 'emulator' | 'proxy';

/** One fault rule. */
export interface FaultRule {
  /** HTTP method, upper case, or `*` for any. Ignored for the `commerce` target. */
  method: string;
  /**
   * A path pattern, or `commerce` for the upstream step: `**` as a whole segment spans any
   * number of segments (none included), `*` matches any run of characters within one
   * segment. At most {@link MAX_PATTERN_LENGTH} characters.
   */
  path: string;
  /** What to do. */
  action: FaultAction;
  /** Chance of firing on a matching call, 0–1. @default 1 */
  probability: number;
  /** Fire only on the first N matching calls. @default unlimited */
  first?: number;
  /**
   * Latency added before the action (before serving, for `delay`; after the upstream answered,
   * for `upstream-delay`). @default 0
   */
  delayMs: number;
  /** The `Retry-After` of an injected 429 or 503, in seconds (1–86400). @default 1 */
  retryAfter?: number;
}

/** The most rules a rule set may hold (every request to a Partner Center path tries them in turn). */
export const MAX_FAULT_RULES = 100;

/** The longest path pattern a rule may have, in characters. */
export const MAX_PATTERN_LENGTH = 512;

/** The special path that targets the simulated upstream commerce dependency. */
export const COMMERCE_TARGET = 'commerce';

const METHODS = new Set(['*', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The actions each host plays besides a status. */
const ACTIONS: Record<FaultRuleHost, readonly string[]> = {
  emulator: ['hang', 'drop', 'delay', 'timeout'],
  proxy: ['hang', 'drop', 'delay', 'upstream-delay', 'truncate'],
};

function parseAction(text: string, where: string, host: FaultRuleHost): FaultAction {
  const value = text.trim().toLowerCase();
  if (/^\d{3}$/.test(value)) {
    const status = Number(value);
    if (status < 400 || status > 599)
      throw new FaultRuleError(`${where}: status ${status} is not 4xx/5xx`);
    return { type: 'status', status };
  }
  const actions = ACTIONS[host];
  if (actions.includes(value)) return { type: value } as FaultAction;
  throw new FaultRuleError(
    `${where}: unknown action "${text}" (a 4xx/5xx status, ${actions.slice(0, -1).join(', ')} or ${actions.at(-1)})`,
  );
}

/** Throws when a path pattern is longer than {@link MAX_PATTERN_LENGTH}. */
export function checkPatternLength(path: string, where: string): void {
  if (path.length > MAX_PATTERN_LENGTH) {
    throw new FaultRuleError(
      `${where}: the path pattern has ${path.length} characters, at most ${MAX_PATTERN_LENGTH} are accepted`,
    );
  }
}

/** Throws when a rule set holds more than {@link MAX_FAULT_RULES} rules. */
export function checkRuleCount(count: number): void {
  if (count > MAX_FAULT_RULES) {
    throw new FaultRuleError(
      `${count} rules given, at most ${MAX_FAULT_RULES} are accepted in one rule set`,
    );
  }
}

function checkRule(rule: FaultRule, where: string, host: FaultRuleHost): FaultRule {
  if (!METHODS.has(rule.method))
    throw new FaultRuleError(`${where}: unknown method "${rule.method}"`);
  if (rule.path === COMMERCE_TARGET && host === 'proxy') {
    throw new FaultRuleError(`${where}: the commerce target is the emulator's; the proxy has none`);
  }
  if (rule.path !== COMMERCE_TARGET) {
    if (!rule.path.startsWith('/')) {
      const commerce = host === 'emulator' ? ' or be "commerce"' : '';
      throw new FaultRuleError(`${where}: path must start with "/"${commerce}`);
    }
    checkPatternLength(rule.path, where);
    compilePathPattern(rule.path);
  }
  if (!(rule.probability >= 0 && rule.probability <= 1)) {
    throw new FaultRuleError(`${where}: probability must be between 0 and 1`);
  }
  if (rule.first !== undefined && !(Number.isInteger(rule.first) && rule.first >= 1)) {
    throw new FaultRuleError(`${where}: first must be a positive integer`);
  }
  if (!(Number.isFinite(rule.delayMs) && rule.delayMs >= 0 && rule.delayMs <= 600_000)) {
    throw new FaultRuleError(`${where}: delay must be 0–600000 ms`);
  }
  if (
    (rule.action.type === 'delay' || rule.action.type === 'upstream-delay') &&
    rule.delayMs === 0
  ) {
    throw new FaultRuleError(`${where}: the ${rule.action.type} action needs delay=<ms>`);
  }
  if (rule.retryAfter !== undefined) {
    const { retryAfter, action } = rule;
    if (!(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 86_400)) {
      throw new FaultRuleError(`${where}: retryAfter must be an integer of 1–86400 seconds`);
    }
    if (action.type !== 'status' || (action.status !== 429 && action.status !== 503)) {
      throw new FaultRuleError(`${where}: retryAfter only applies to a 429 or 503 action`);
    }
  }
  if (rule.action.type === 'timeout' && rule.path !== COMMERCE_TARGET) {
    throw new FaultRuleError(`${where}: timeout only applies to the commerce target`);
  }
  return rule;
}

/**
 * Parses the one-line form `[METHOD ]PATH=ACTION[,p=0.5][,first=3][,delay=200][,retryAfter=30]`,
 * e.g. `GET /v1/customers/*=503,p=0.25`, `commerce=timeout`, `* /v1/**=delay,delay=300`,
 * `/v1/**=429,retryAfter=57`. `host` says whose actions are accepted.
 */
export function parseFaultRule(text: string, host: FaultRuleHost = 'emulator'): FaultRule {
  const where = `fault "${text.length > 80 ? `${text.slice(0, 80)}…` : text}"`;
  const head = text.split(',')[0] ?? '';
  const split = head.lastIndexOf('=');
  if (split <= 0) throw new FaultRuleError(`${where}: expected [METHOD ]PATH=ACTION`);
  const target = head.slice(0, split).trim();
  const action = parseAction(head.slice(split + 1), where, host);
  const parts = target.split(/\s+/);
  const [method, path] =
    parts.length === 2 ? [parts[0] as string, parts[1] as string] : ['*', target];
  const rule: FaultRule = {
    method: method.toUpperCase(),
    path,
    action,
    probability: 1,
    delayMs: 0,
  };
  for (const option of text.split(',').slice(1)) {
    const [key, raw = ''] = option.split('=').map((s) => s.trim());
    const value = Number(raw);
    if (raw === '' || Number.isNaN(value))
      throw new FaultRuleError(`${where}: option "${option}" needs a number`);
    if (key === 'p') rule.probability = value;
    else if (key === 'first') rule.first = value;
    else if (key === 'delay') rule.delayMs = value;
    else if (key === 'retryAfter') rule.retryAfter = value;
    else
      throw new FaultRuleError(`${where}: unknown option "${key}" (p, first, delay, retryAfter)`);
  }
  return checkRule(rule, where, host);
}

/** The JSON form of a rule (file, `PUT /_emulator/faults`); a string is the one-line form. */
export type FaultRuleInput =
  | string
  | {
      method?: string;
      path: string;
      action: number | string;
      probability?: number;
      first?: number;
      delayMs?: number;
      retryAfter?: number;
    };

/** The keys the JSON form of a rule may have; any other is refused. */
const RULE_KEYS = new Set([
  'method',
  'path',
  'action',
  'probability',
  'first',
  'delayMs',
  'retryAfter',
]);

/** Validates a rule set: `{ "rules": [...] }` or a bare array of rules, for `host`. */
export function parseFaultRules(input: unknown, host: FaultRuleHost = 'emulator'): FaultRule[] {
  const list = Array.isArray(input)
    ? input
    : typeof input === 'object' &&
        input !== null &&
        Array.isArray((input as { rules?: unknown }).rules)
      ? (input as { rules: unknown[] }).rules
      : undefined;
  if (!list) throw new FaultRuleError('expected { "rules": [ ... ] } or an array of rules');
  checkRuleCount(list.length);
  return list.map((item, index) => {
    const where = `rules[${index}]`;
    if (typeof item === 'string') return parseFaultRule(item, host);
    if (typeof item !== 'object' || item === null)
      throw new FaultRuleError(`${where}: expected an object or a string`);
    const raw = item as Record<string, unknown>;
    const unknown = Object.keys(raw).filter((key) => !RULE_KEYS.has(key));
    if (unknown.length > 0) {
      throw new FaultRuleError(
        `${where}: unknown key ${unknown.map((key) => `"${key.slice(0, 40)}"`).join(', ')} (${[...RULE_KEYS].join(', ')})`,
      );
    }
    if (typeof raw.path !== 'string') throw new FaultRuleError(`${where}: path must be a string`);
    if (typeof raw.action !== 'number' && typeof raw.action !== 'string') {
      throw new FaultRuleError(`${where}: action must be a status or ${ACTIONS[host].join('/')}`);
    }
    const optionalNumber = (key: string): number | undefined => {
      const value = raw[key];
      if (value === undefined) return undefined;
      if (typeof value !== 'number') throw new FaultRuleError(`${where}: ${key} must be a number`);
      return value;
    };
    const first = optionalNumber('first');
    const retryAfter = optionalNumber('retryAfter');
    const rule: FaultRule = {
      method: typeof raw.method === 'string' ? raw.method.toUpperCase() : '*',
      path: raw.path,
      action: parseAction(String(raw.action), where, host),
      probability: optionalNumber('probability') ?? 1,
      delayMs: optionalNumber('delayMs') ?? 0,
      ...(first === undefined ? {} : { first }),
      ...(retryAfter === undefined ? {} : { retryAfter }),
    };
    return checkRule(rule, where, host);
  });
}

/** The JSON form of a rule, as `GET /_emulator/faults` shows it. */
export function describeRule(rule: FaultRule): Record<string, unknown> {
  return {
    method: rule.method,
    path: rule.path,
    action: rule.action.type === 'status' ? rule.action.status : rule.action.type,
    probability: rule.probability,
    delayMs: rule.delayMs,
    ...(rule.first === undefined ? {} : { first: rule.first }),
    ...(rule.retryAfter === undefined ? {} : { retryAfter: rule.retryAfter }),
  };
}

/** A rule file as a command read it: its name (for messages) and its text. */
export interface FaultRuleFile {
  readonly name: string;
  readonly text: string;
}

/**
 * The rules of a command line: those of a JSON rule file (`--faults`), then one per
 * `--fault` flag, at most {@link MAX_FAULT_RULES} together. The one reading of both flags,
 * so `apifault start` and `apifault proxy` accept and refuse the same input the same way.
 *
 * @throws FaultRuleError naming the file or the flag that is wrong
 * @example faultRulesFromArgs(['GET /v1/**=503,p=0.5'], { name: 'faults.json', text }, 'proxy')
 */
export function faultRulesFromArgs(
  flags: readonly string[],
  file: FaultRuleFile | undefined,
  host: FaultRuleHost = 'emulator',
): FaultRule[] {
  const rules: FaultRule[] = [];
  if (file !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(file.text);
    } catch (error) {
      throw new FaultRuleError(`${file.name} is not JSON: ${(error as Error).message}`);
    }
    try {
      rules.push(...parseFaultRules(json, host));
    } catch (error) {
      if (!(error instanceof FaultRuleError)) throw error;
      throw new FaultRuleError(`${file.name}: ${error.message}`);
    }
  }
  for (const flag of flags) rules.push(parseFaultRule(flag, host));
  if (rules.length > MAX_FAULT_RULES) {
    throw new FaultRuleError(
      `${rules.length} fault rules given (--faults and --fault together), at most ${MAX_FAULT_RULES}`,
    );
  }
  return rules;
}
