/** How a 429 looks on the wire: as Partner Center really sends it, or as the contract says. */

import type { RenderedError } from '../render/index.js';

/**
 * How a 429 looks on the wire: `partner-center`, as the real service sends it
 * (`{"statusCode":429,"message":"Rate limit is exceeded. Try again in N seconds."}`,
 * `Retry-After`, no `RateLimit` headers); `contract`, the contract's error body (with the
 * `RateLimit` and `RateLimit-Policy` headers where a limiter counted the request).
 */
export type WireFormat = 'partner-center' | 'contract';

/**
 * An `onRender` for the `partner-center` wire: every 429, whatever raised it (a limiter, a
 * fault rule, the force header), goes out as Partner Center sends it,
 * `{"statusCode":429,"message":"Rate limit is exceeded. Try again in N seconds."}` with
 * `Content-Type: application/json`, `Retry-After` in seconds and no `RateLimit` headers.
 * Other statuses keep the contract.
 */
export function partnerCenterWire(rendered: RenderedError): RenderedError {
  if (rendered.status !== 429) return rendered;
  const seconds = Math.max(1, Math.ceil(Number(rendered.headers['retry-after']) || 1));
  const headers: Record<string, string> = {};
  for (const name in rendered.headers) {
    if (name === 'ratelimit' || name === 'ratelimit-policy') continue;
    headers[name] = rendered.headers[name] as string;
  }
  headers['content-type'] = 'application/json';
  headers['retry-after'] = String(seconds);
  return {
    ...rendered,
    headers,
    json: JSON.stringify({
      statusCode: 429,
      message: `Rate limit is exceeded. Try again in ${seconds} seconds.`,
    }),
  };
}
