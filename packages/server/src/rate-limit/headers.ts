/**
 * Formats the `RateLimit-Policy` and `RateLimit` fields as Structured Field lists, following
 * draft-ietf-httpapi-ratelimit-headers-10 (September 2025): each list member is the policy's
 * name as an sf-string, `RateLimit-Policy` items carry `q` (quota) and `w` (window, seconds),
 * `RateLimit` items carry `r` (remaining quota) and `t` (seconds until the window resets).
 */

/** The name of the field that lists the quota policies, spelt as the draft does. */
export const RATE_LIMIT_POLICY_HEADER = 'RateLimit-Policy';
/** The name of the field that gives each policy's remaining quota, spelt as the draft does. */
export const RATE_LIMIT_HEADER = 'RateLimit';

/** One `RateLimit-Policy` member: `"burst";q=100;w=10`. Names are validated at creation. */
export function formatPolicyItem(name: string, quota: number, windowSeconds: number): string {
  return `"${name}";q=${quota};w=${windowSeconds}`;
}

/** One `RateLimit` member: `"burst";r=42;t=7`, with both numbers clamped to whole, non-negative values. */
export function formatLimitItem(name: string, remaining: number, msBeforeReset: number): string {
  const r = remaining > 0 ? Math.floor(remaining) : 0;
  const t = msBeforeReset > 0 ? Math.ceil(msBeforeReset / 1000) : 0;
  return `"${name}";r=${r};t=${t}`;
}
