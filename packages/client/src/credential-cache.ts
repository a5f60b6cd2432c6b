/** Caches the bearer token between requests and refreshes it once per rejected token. */

import type { Credential } from './options.js';

/**
 * Holds the token the credential function returned. Concurrent requests share one call;
 * a refresh asked for a token that was already replaced reuses the replacement.
 */
export class CredentialCache {
  readonly #credential: Credential;
  #pending: Promise<string> | undefined;
  #current: string | undefined;

  constructor(credential: Credential) {
    this.#credential = credential;
  }

  /** The cached token (synchronously once known), fetching one on first use. */
  get(): string | Promise<string> {
    if (this.#current !== undefined) return this.#current;
    return this.#load(false);
  }

  /** A fresh token after the service rejected `stale`. */
  refresh(stale: string): Promise<string> {
    if (this.#current !== undefined && this.#current !== stale) {
      return Promise.resolve(this.#current);
    }
    if (this.#pending) return this.#pending;
    this.#current = undefined;
    return this.#load(true);
  }

  #load(forceRefresh: boolean): Promise<string> {
    if (this.#pending) return this.#pending;
    // The extra tick lets a credential that throws synchronously reject like an async one.
    const pending: Promise<string> = Promise.resolve()
      .then(() => this.#credential({ forceRefresh }))
      .then(
        (token) => {
          if (this.#pending === pending) this.#pending = undefined;
          if (typeof token !== 'string' || token.trim() === '' || /[\r\n\0]/.test(token)) {
            throw new TypeError(
              'The credential function must return a non-empty string without line breaks',
            );
          }
          this.#current = token;
          return token;
        },
        (error: unknown) => {
          if (this.#pending === pending) this.#pending = undefined;
          throw error;
        },
      );
    this.#pending = pending;
    return pending;
  }
}

/** The `Authorization` value for a token: `Bearer <token>` unless it already names a scheme. */
export function authorizationValue(token: string): string {
  return /\s/.test(token.trim()) ? token.trim() : `Bearer ${token}`;
}
