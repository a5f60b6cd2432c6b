/** The request headers sent upstream: end to end only, `Host` the upstream's, `X-Forwarded-*` added. */

import type { IncomingMessage } from 'node:http';
import { endToEndHeaders, type HeaderMap } from './hop-by-hop.js';

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The headers of `request` as the upstream at `upstreamHost` gets them: hop-by-hop headers
 * dropped, `Host` rewritten, the client's address appended to `X-Forwarded-For`, and
 * `X-Forwarded-Proto` / `X-Forwarded-Host` set when no earlier proxy set them.
 */
export function forwardedRequestHeaders(request: IncomingMessage, upstreamHost: string): HeaderMap {
  const headers = endToEndHeaders(request.headers);
  const client = request.socket.remoteAddress;
  if (client !== undefined) {
    const earlier = joined(headers['x-forwarded-for']);
    headers['x-forwarded-for'] = earlier ? `${earlier}, ${client}` : client;
  }
  headers['x-forwarded-proto'] ??= 'encrypted' in request.socket ? 'https' : 'http';
  const host = headers.host;
  if (host !== undefined) headers['x-forwarded-host'] ??= host;
  headers.host = upstreamHost;
  return headers;
}
