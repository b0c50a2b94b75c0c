import { createHash } from 'node:crypto';

export const MAX_PUBLIC_KEY_LENGTH = 4096;

export function normalizeDeviceName(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim();
}

export function deviceNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > 64) return 'must be 1 to 64 characters';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'must not contain control characters';
  return undefined;
}

/** SHA-256 (hex) of the key with surrounding white space removed: the only trace of the key that is kept. */
export function publicKeyFingerprint(publicKey: string): string {
  return createHash('sha256').update(publicKey.trim(), 'utf8').digest('hex');
}
