/**
 * The SHA-256 of a request body, lower-case hex, for its fingerprint: the runtime's own hash.
 * On Node (and runtimes that offer `node:crypto`), its synchronous hash; elsewhere (Hono on
 * Workers, Deno without Node built-ins) Web Crypto. Web Crypto's digest costs a thread-pool
 * round trip and a promise per call: on Node it was the stage's largest cost (a profile of a
 * small POST: 14 % of the process), where the native hash of a small body is a microsecond.
 */

/** The part of `node:crypto` used, reached without a static `node:` import (Hono's entry has none). */
interface NodeHash {
  /** One-shot hash (Node 20.12 and later): a third of `createHash`'s cost on a small body. */
  hash?(algorithm: 'sha256', data: Uint8Array, encoding: 'hex'): string;
  createHash(algorithm: 'sha256'): {
    update(data: Uint8Array): { digest(encoding: 'hex'): string };
  };
}

const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?(id: string): unknown } }
).process?.getBuiltinModule?.('node:crypto') as NodeHash | undefined;

/** SHA-256 through Web Crypto, on every runtime Hono runs on. */
export async function webBodyDigest(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** SHA-256 of `bytes`, lower-case hex: at once where the runtime hashes natively. */
export function bodyDigest(bytes: Uint8Array): string | Promise<string> {
  if (nodeCrypto === undefined) return webBodyDigest(bytes);
  return nodeCrypto.hash !== undefined
    ? nodeCrypto.hash('sha256', bytes, 'hex')
    : nodeCrypto.createHash('sha256').update(bytes).digest('hex');
}
