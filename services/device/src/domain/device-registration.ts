import { createHash } from 'node:crypto';

export const MAX_PUBLIC_KEY_LENGTH = 4096;

export const DEVICE_NAME_LENGTH = { min: 1, max: 64 };

/**
 * SHA-256 (hex) of the public key exactly as submitted: the only trace of the key that is
 * kept, and one a client can recompute from what it sent.
 */
export function publicKeyFingerprint(publicKey: string): string {
  return createHash('sha256').update(publicKey, 'utf8').digest('hex');
}

/** Why a submitted public key is unacceptable, or undefined when it is fine. */
export function publicKeyProblem(publicKey: string): string | undefined {
  if (publicKey.trim().length === 0) return 'must not be blank';
  if (publicKey.length > MAX_PUBLIC_KEY_LENGTH) return `must be at most ${MAX_PUBLIC_KEY_LENGTH} characters`;
  return undefined;
}
