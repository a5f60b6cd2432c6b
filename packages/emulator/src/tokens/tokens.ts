/** Mints and verifies the emulator's bearer tokens: HS256 JWTs under a per-database secret. */

import { randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { MetaStore } from '../store/meta.js';

/** The `iss` of every emulator token. */
export const TOKEN_ISSUER = 'urn:apifault:emulator';
/** The `aud` of every emulator token: the resource Partner Center tokens are issued for. */
export const TOKEN_AUDIENCE = 'https://api.partnercenter.microsoft.com';
/** The roles a token carries when none are asked for. */
export const DEFAULT_ROLES: readonly string[] = ['AdminAgent'];
/** Roles allowed to write (create customers and orders, update subscriptions). */
export const WRITE_ROLES: readonly string[] = ['AdminAgent', 'SalesAgent'];
/** A partner tenant id: a GUID or a similar plain token. */
export const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.-]{0,127}$/;

/** How many verified tokens are remembered. */
const VERIFIED_CACHE_SIZE = 1024;

/** Who a verified token speaks for. */
export interface Principal {
  /** The partner tenant id (`tid`). */
  partnerTenantId: string;
  /** The partner roles (`roles`). */
  roles: string[];
}

/** Options of {@link TokenService.mint}. */
export interface MintOptions {
  /** The partner tenant id. */
  partner: string;
  /** Roles. @default ['AdminAgent'] */
  roles?: readonly string[];
  /** Lifetime in seconds. @default 3600 */
  ttlSeconds?: number;
}

/** Why a token was refused, for the 401's RFC 6750 `error_description`. */
export class TokenRejectedError extends Error {
  override name = 'TokenRejectedError' as const;
}

/** Signs and checks tokens with the secret kept in the database (created on first use). */
export class TokenService {
  readonly #key: Uint8Array;
  /**
   * Tokens already verified, until their expiry: verifying the same string again gives the
   * same answer, and HMAC verification dominated the request cost. Keyed by the whole token,
   * so a token that differs in any byte (a reused signature) is checked. Bounded; oldest out first.
   */
  readonly #verified = new Map<string, { principal: Principal; expiresAt: number }>();

  /** @param meta where the signing secret is kept */
  constructor(meta: MetaStore) {
    const secret = meta.ensure('token_secret', randomBytes(32).toString('base64url'));
    this.#key = new Uint8Array(Buffer.from(secret, 'base64url'));
  }

  /** A signed bearer token for a partner tenant. */
  async mint(options: MintOptions): Promise<string> {
    const ttl = options.ttlSeconds ?? 3600;
    return new SignJWT({ tid: options.partner, roles: [...(options.roles ?? DEFAULT_ROLES)] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(options.partner)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttl)
      .sign(this.#key);
  }

  /**
   * Checks signature (HS256 only, so `alg: none` and key confusion fail), issuer, audience and
   * expiry; rejects with {@link TokenRejectedError} with a short reason, never anything else.
   * A token verified before and not expired since is answered at once, without a promise.
   */
  verify(token: string): Principal | Promise<Principal> {
    return this.verified(token) ?? this.#verifyNew(token);
  }

  async #verifyNew(token: string): Promise<Principal> {
    const { principal, expiresAt } = await this.#check(token);
    if (this.#verified.size >= VERIFIED_CACHE_SIZE) {
      const oldest = this.#verified.keys().next().value;
      if (oldest !== undefined) this.#verified.delete(oldest);
    }
    this.#verified.set(token, { principal, expiresAt });
    return principal;
  }

  /**
   * The principal of `token` if it was verified before and has not expired since, without
   * waiting: the common case, answered with no promise. `undefined` means "call verify()",
   * not "rejected".
   */
  verified(token: string): Principal | undefined {
    const cached = this.#verified.get(token);
    if (cached === undefined) return undefined;
    if (cached.expiresAt > Date.now()) return cached.principal;
    this.#verified.delete(token);
    return undefined;
  }

  async #check(token: string): Promise<{ principal: Principal; expiresAt: number }> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['exp'],
      });
      const tid = payload.tid;
      const roles = payload.roles;
      if (typeof tid !== 'string' || tid === '') throw new TokenRejectedError('missing tid claim');
      const list = Array.isArray(roles)
        ? roles.filter((r): r is string => typeof r === 'string')
        : [];
      const expiresAt = typeof payload.exp === 'number' ? payload.exp * 1000 : Date.now();
      return { principal: { partnerTenantId: tid, roles: list }, expiresAt };
    } catch (error) {
      if (error instanceof TokenRejectedError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new TokenRejectedError('token expired');
      if (error instanceof joseErrors.JWTClaimValidationFailed) {
        throw new TokenRejectedError(`claim ${error.claim} rejected`);
      }
      if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
        throw new TokenRejectedError('signature invalid');
      }
      throw new TokenRejectedError('token malformed');
    }
  }
}
