/**
 * The gate of the control plane (`/_emulator/*`): it answers only requests addressed to the
 * emulator itself, so a web page cannot drive it (by DNS rebinding, or cross-site), and, with
 * a control token, only callers that present it.
 */

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError, unauthorized } from '@apifault/contract';
import type { Context, Exchange, Stage } from '@apifault/server';
import { CODES } from './codes.js';
import { SOURCE_FRONT_DOOR } from './errors.js';

/** The exchange `createApp` runs its stages on. */
type ExchangeContext = Exchange & Context;

/** The names every emulator answers to on its control plane, besides its own address. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** What a control token may hold: an RFC 7235 token68, so it travels in `Authorization`. */
const TOKEN68 = /^[A-Za-z0-9._~+/-]{1,512}=*$/;

/** What the gate needs. */
export interface ControlPlaneOptions {
  /** The token `/_emulator/*` requires, if any. */
  readonly token: string | undefined;
  /** Host names accepted besides loopback and the address a request arrived on. */
  readonly hosts: readonly string[];
  /** The realm of the 401's challenge. */
  readonly realm: string;
}

/** Whether `path` is on the control plane. */
export function isControlPath(path: string): boolean {
  return path.startsWith('/_emulator/') || path === '/_emulator';
}

/**
 * Whether a request fetches the dashboard's page or one of its files (`/_emulator`,
 * `/_emulator/`, `/_emulator/ui/*`): they hold no data, so a browser loads them without the
 * control token, which the page then asks for; Host and Origin are checked all the same.
 */
export function isDashboardFile(method: string, path: string): boolean {
  return (
    (method === 'GET' || method === 'HEAD') &&
    (path === '/_emulator' || path === '/_emulator/' || path.startsWith('/_emulator/ui/'))
  );
}

/** Whether `host` (an address or name to listen on) reaches this machine only. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return (
    name === 'localhost' ||
    name === '::1' ||
    /^(?:::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
  );
}

/** A fresh control token: 32 random bytes, base64url. */
export function generateControlToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Throws a TypeError unless `token` can be sent as `Authorization: Bearer <token>`. */
export function checkControlToken(token: string): void {
  if (!TOKEN68.test(token)) {
    throw new TypeError(
      'The control token must be 1–512 characters of A–Z, a–z, 0–9 and - . _ ~ + /, optionally ending in =.',
    );
  }
}

/** A host name as `Host` carries it: lower case, an IPv6 address in brackets. */
function hostName(name: string): string {
  const lower = name.toLowerCase();
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}

/** The host name of a `Host` value (`name`, `name:port`, `[v6]:port`), or undefined if malformed. */
function nameOfHostHeader(value: string): string | undefined {
  const text = value.trim().toLowerCase();
  let name = text;
  let rest = '';
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end === -1) return undefined;
    name = text.slice(0, end + 1);
    rest = text.slice(end + 1);
  } else {
    const colon = text.indexOf(':');
    if (colon !== -1) {
      name = text.slice(0, colon);
      rest = text.slice(colon);
    }
  }
  if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
  return name === '' ? undefined : name;
}

/** The host name of an `Origin` (`http(s)://name[:port]`), or undefined when it names none. */
function nameOfOrigin(origin: string): string | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.hostname.toLowerCase();
}

/** The names of the local address a request arrived on (an IPv4-mapped address as both forms). */
function localNames(address: string | undefined): string[] {
  if (address === undefined) return [];
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? [mapped[1] as string, hostName(address)] : [hostName(address)];
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** 403 2032 "Access denied", for a request the control plane does not take. */
function accessDenied(reason: string): ApiError {
  return new ApiError({
    status: 403,
    code: CODES.controlAccessDenied.code,
    description: `${CODES.controlAccessDenied.description}: ${reason}`,
    data: [],
    source: SOURCE_FRONT_DOOR,
  });
}

/**
 * The control plane's stage, placed before `auth`: on `/_emulator/*`, a `Host` that is not
 * the emulator's own address (the one the request arrived on, a name in `hosts`) or loopback
 * (`localhost`, `127.0.0.1`, `[::1]`), and an `Origin` that names another host, get 403;
 * with a token, a request without `Authorization: Bearer <token>` gets 401 (the dashboard's
 * page and files excepted, see {@link isDashboardFile}). Ports are not
 * compared: a port mapping or a proxy may change them, and the host name is what a
 * rebinding page cannot choose.
 */
export function controlPlane({ token, hosts, realm }: ControlPlaneOptions): Stage<ExchangeContext> {
  const names = new Set([...LOOPBACK_NAMES, ...hosts.map(hostName)]);
  const expected = token === undefined ? undefined : sha256(token);
  const allowed = (name: string | undefined, ex: ExchangeContext): boolean =>
    name !== undefined &&
    (names.has(name) || localNames(ex.req.socket.localAddress).includes(name));
  return {
    name: 'control-plane',
    before: 'auth',
    run(ex) {
      if (!isControlPath(ex.path)) return;
      const host = ex.headers.host;
      if (typeof host !== 'string' || !allowed(nameOfHostHeader(host), ex)) {
        throw accessDenied(
          "/_emulator/* answers only requests whose Host is the emulator's own address or localhost.",
        );
      }
      const origin = ex.headers.origin;
      if (typeof origin === 'string' && !allowed(nameOfOrigin(origin), ex)) {
        throw accessDenied('/_emulator/* does not answer pages of another host (Origin).');
      }
      if (expected === undefined || isDashboardFile(ex.method, ex.path)) return;
      const authorization = ex.headers.authorization;
      const presented =
        typeof authorization === 'string'
          ? /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(authorization)?.[1]
          : undefined;
      if (presented === undefined || !timingSafeEqual(sha256(presented), expected)) {
        throw unauthorized({
          realm,
          code: authorization === undefined ? CODES.tokenMissing.code : CODES.accessDenied.code,
          description:
            authorization === undefined
              ? `${CODES.tokenMissing.description}: /_emulator/* needs the control token (Authorization: Bearer <control token>).`
              : `${CODES.accessDenied.description}: the control token of /_emulator/* was not presented (Authorization: Bearer <control token>).`,
          data: [],
          source: SOURCE_FRONT_DOOR,
        });
      }
    },
  };
}
