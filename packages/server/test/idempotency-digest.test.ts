/**
 * The body digest of the idempotency fingerprint: the runtime's native hash and Web Crypto
 * give the same SHA-256 for any body, so a key first claimed on Node and repeated through Hono
 * on another runtime (one Redis store) is recognised as the same request.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bodyDigest, webBodyDigest } from '../src/idempotency/body-digest.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

test('SHA-256 test vectors, natively and through Web Crypto', async () => {
  const vectors: [string, string][] = [
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ];
  for (const [text, hex] of vectors) {
    assert.equal(await bodyDigest(encode(text)), hex);
    assert.equal(await webBodyDigest(encode(text)), hex);
  }
});

test('on Node the digest is native and synchronous', () => {
  assert.equal(typeof bodyDigest(encode('{}')), 'string');
});

test('both give the same digest for any body', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
      assert.equal(await bodyDigest(bytes), await webBodyDigest(bytes));
    }),
    { numRuns: 200 },
  );
});
