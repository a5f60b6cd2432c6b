/** Hono's `HTTPException`: a status and a prepared response, as a contract error. */

import { type ErrorBag, type ErrorRecognizer, errorParts, isErrorBag } from '../render/index.js';

/** Headers a Hono `HTTPException` carries on its prepared response. */
function responseHeaders(res: unknown): Record<string, string> | undefined {
  if (!isErrorBag(res) || !isErrorBag(res['headers'])) return undefined;
  const get = (res['headers'] as ErrorBag)['get'];
  if (typeof get !== 'function') return undefined;
  const out: Record<string, string> = {};
  for (const name of ['www-authenticate', 'allow', 'retry-after']) {
    const value = get.call(res['headers'], name);
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

/** Hono's `HTTPException`: a status and a prepared response whose message is for the caller. */
export const recognizeHttpException: ErrorRecognizer = (error) => {
  if (typeof error['getResponse'] !== 'function' || typeof error['status'] !== 'number') {
    return undefined;
  }
  const status = error['status'];
  return errorParts({
    status,
    description: typeof error['message'] === 'string' ? error['message'] : undefined,
    headers: responseHeaders(error['res']),
    known: status < 500,
  });
};
