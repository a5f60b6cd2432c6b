/** What a recording must not keep: credentials in headers, query strings and bodies. */

import { REDACTED } from '@apifault/client';

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
]);

/** A field, parameter or header whose name says it holds a secret. */
const SECRET_NAME = /token|secret|password|passwd|assertion|api[-_]?key|credential/i;

/** Whether a header's value is a secret (`Authorization`, cookies, anything named like a token). */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADERS.has(lower) || SECRET_NAME.test(lower);
}

/** A URL with the values of its secret-looking query parameters redacted. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  let changed = false;
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_NAME.test(name)) {
      parsed.searchParams.set(name, REDACTED);
      changed = true;
    }
  }
  return changed ? parsed.href : url;
}

function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_NAME.test(key) && typeof item !== 'object' ? REDACTED : redactJson(item);
  }
  return out;
}

/**
 * A body's text with its secrets redacted: the values of secret-looking fields of a JSON
 * document (`access_token`, `refresh_token`, `client_secret` …) or of a form. Other bodies are
 * kept as they are.
 */
export function redactBody(text: string, contentType: string | undefined): string {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(text);
    let changed = false;
    for (const name of [...form.keys()]) {
      if (SECRET_NAME.test(name)) {
        form.set(name, REDACTED);
        changed = true;
      }
    }
    return changed ? form.toString() : text;
  }
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      const redacted = JSON.stringify(redactJson(JSON.parse(text)));
      // Keep the exact text when nothing was secret.
      return redacted === JSON.stringify(JSON.parse(text)) ? text : redacted;
    } catch {
      return text;
    }
  }
  return text;
}
