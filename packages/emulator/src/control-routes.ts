/**
 * The emulator's own routes under `/_emulator/*`, and its OpenAPI document: mint a token,
 * read and replace the fault rules, switch maintenance. They need no partner token and are
 * never faulted, throttled or put in maintenance; the control plane's gate (see the front
 * door) admits only requests addressed to the emulator, with the control token if one is set.
 */

import { notFound } from '@apifault/contract';
import type { Context, RouteHandler } from '@apifault/server';
import {
  type FaultEngine,
  type FaultRule,
  FaultRuleError,
  parseFaultRules,
} from '@apifault/server/faults';
import { BodyReader } from './body-reader.js';
import { invalidInput, invalidProperties } from './errors.js';
import type { Maintenance } from './maintenance.js';
import { buildOpenApi } from './openapi.js';
import type { RouteName } from './routes.js';
import type { EmulatorStore } from './store/emulator-store.js';
import { SEED_PARTNER } from './store/seed.js';
import { DEFAULT_ROLES, TENANT_PATTERN, type TokenService } from './tokens/tokens.js';

const ROLE_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** What the control routes act on. */
export interface ControlParts {
  readonly store: EmulatorStore;
  readonly tokens: TokenService;
  readonly faults: FaultEngine;
  /** The seed of the fault rules' PRNG, shown with the rules. */
  readonly faultSeed: number;
  readonly maintenance: Maintenance;
}

/** `POST /_emulator/tokens`: body `{ partner?, roles?, ttl? }`, answer `{ accessToken, tokenType, expiresIn, partner, roles }`. */
function mintToken({ store, tokens }: ControlParts): RouteHandler {
  return async (ctx: Context) => {
    const read = new BodyReader();
    const body = read.object((await ctx.json()) ?? {}, 'body');
    const partner =
      read.string(body.partner, 'partner', { max: 128, pattern: TENANT_PATTERN }) ?? SEED_PARTNER;
    const ttl = read.integer(body.ttl, 'ttl', { min: 1, max: 31 * 24 * 3600 }) ?? 3600;
    let roles: string[] = [...DEFAULT_ROLES];
    if (body.roles !== undefined) {
      if (!Array.isArray(body.roles) || body.roles.length > 16) {
        read.problems.push({
          field: 'roles',
          message: 'must be an array of at most 16 role names',
        });
      } else {
        roles = body.roles.map(
          (role: unknown, i: number) =>
            read.string(role, `roles[${i}]`, { pattern: ROLE_PATTERN }) ?? '',
        );
      }
    }
    if (read.problems.length > 0) throw invalidProperties(read.problems);
    store.partners.ensure(partner);
    const accessToken = await tokens.mint({ partner, roles, ttlSeconds: ttl });
    ctx.status = 201;
    return { accessToken, tokenType: 'Bearer', expiresIn: ttl, partner, roles };
  };
}

/** `PUT /_emulator/maintenance`: body `{ enabled, retryAfter? }`. */
function putMaintenance({ maintenance }: ControlParts): RouteHandler {
  return async (ctx) => {
    const body = (await ctx.json()) as { enabled?: unknown; retryAfter?: unknown } | undefined;
    const enabled = body?.enabled;
    const retryAfter = body?.retryAfter ?? 30;
    if (typeof enabled !== 'boolean') throw invalidInput('enabled must be true or false.');
    if (
      typeof retryAfter !== 'number' ||
      !Number.isInteger(retryAfter) ||
      retryAfter < 1 ||
      retryAfter > 86_400
    ) {
      throw invalidInput('retryAfter must be an integer number of seconds, 1–86400.');
    }
    maintenance.state = { enabled, retryAfter };
    return maintenance.state;
  };
}

/** The body of `PUT` and `POST /_emulator/faults`: `{ "rules": [...] }` or an array, validated. */
async function readRules(ctx: Context): Promise<FaultRule[]> {
  try {
    return parseFaultRules(await ctx.json());
  } catch (error) {
    if (error instanceof FaultRuleError) throw invalidInput(error.message);
    throw error;
  }
}

/** The handlers of the control routes, by route name (see `ROUTES`). */
export function controlRoutes(parts: ControlParts): Partial<Record<RouteName, RouteHandler>> {
  const { faults, faultSeed, maintenance } = parts;
  return {
    mintToken: mintToken(parts),
    getFaults: () => ({ seed: faultSeed, rules: faults.describe() }),
    putFaults: async (ctx) => {
      const rules = await readRules(ctx);
      try {
        faults.replace(rules);
      } catch (error) {
        if (error instanceof FaultRuleError) throw invalidInput(error.message);
        throw error;
      }
      return { seed: faultSeed, rules: faults.describe() };
    },
    addFaults: async (ctx) => {
      const rules = await readRules(ctx);
      let ids: number[];
      try {
        ids = faults.add(rules);
      } catch (error) {
        if (error instanceof FaultRuleError) throw invalidInput(error.message);
        throw error;
      }
      ctx.status = 201;
      return { seed: faultSeed, rules: faults.describe(new Set(ids)) };
    },
    deleteFault: (ctx) => {
      const text = ctx.params.ruleId ?? '';
      if (!/^[1-9]\d{0,15}$/.test(text))
        throw invalidInput('the rule id must be a positive integer.');
      if (!faults.remove(Number(text))) throw notFound(`No fault rule has the id ${text}.`);
      return undefined;
    },
    deleteFaults: () => {
      faults.clear();
      return undefined;
    },
    getMaintenance: () => maintenance.state,
    putMaintenance: putMaintenance(parts),
    openapi: () => buildOpenApi(),
  };
}
