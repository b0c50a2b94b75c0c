import { createHash, timingSafeEqual } from 'node:crypto';

/** Flow secrets (state, completion, confirmation, browser binding) are 256 random bits: a plain SHA-256 keeps them off the database. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** Constant-time comparison of a presented secret (or its hash) with the expected one. */
export function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
