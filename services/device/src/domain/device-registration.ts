import { createHash } from 'node:crypto';

export const MAX_PUBLIC_KEY_LENGTH = 4096;

export const DEVICE_NAME_LENGTH = { min: 1, max: 64 };

/** SHA-256 (hex) of the key with surrounding white space removed: the only trace of the key that is kept. */
export function publicKeyFingerprint(publicKey: string): string {
  return createHash('sha256').update(publicKey.trim(), 'utf8').digest('hex');
}
