/**
 * The headers that belong to one connection and never cross a proxy (RFC 9110 §7.6.1):
 * Connection and every header it names, Keep-Alive, TE, Trailer, Transfer-Encoding,
 * Upgrade and the Proxy-* headers (addressed to the proxy itself).
 */

import type { IncomingHttpHeaders } from 'node:http';

/** Header values as Node and undici hand them over, lower-case names. */
export type HeaderMap = Record<string, string | string[] | undefined>;

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The names a `Connection` header lists, lower-cased. */
function connectionOptions(value: string | string[] | undefined): Set<string> | undefined {
  if (value === undefined) return undefined;
  const names = (Array.isArray(value) ? value.join(',') : value)
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  return names.length === 0 ? undefined : new Set(names);
}

/** Whether `name` (lower case) is hop-by-hop on this message, `named` its Connection list. */
export function isHopByHop(name: string, named?: ReadonlySet<string>): boolean {
  return HOP_BY_HOP.has(name) || name.startsWith('proxy-') || (named?.has(name) ?? false);
}

/** The end-to-end headers of a message: a copy without its hop-by-hop headers. */
export function endToEndHeaders(headers: HeaderMap | IncomingHttpHeaders): HeaderMap {
  const named = connectionOptions(headers.connection);
  const out: HeaderMap = {};
  for (const name in headers) {
    if (isHopByHop(name, named)) continue;
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
