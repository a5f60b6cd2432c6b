/** The entity tags of stored resources: opaque, and new on every write. */

import { randomBytes } from 'node:crypto';

/** A fresh opaque entity tag (16 base64url characters). */
export function newEtag(): string {
  return randomBytes(12).toString('base64url');
}
