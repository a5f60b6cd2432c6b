/** Request and correlation ids: random UUIDs from the platform's Web Crypto. */

/** A new random UUID (v4). Falls back to `Math.random` where Web Crypto is missing. */
export function newId(): string {
  return randomUUID === undefined ? fallbackId() : randomUUID();
}

// Looked up once: reading `globalThis.crypto` (a lazy getter on Node) on every id costs more
// than the id itself.
const platformCrypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
const randomUUID =
  typeof platformCrypto?.randomUUID === 'function'
    ? platformCrypto.randomUUID.bind(platformCrypto)
    : undefined;

function fallbackId(): string {
  const hex = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  const variant = ((Math.random() * 4) | 8).toString(16);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}
