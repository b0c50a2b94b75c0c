import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** Ten codes per set; regenerating voids the whole previous set. */
export const RECOVERY_CODE_COUNT = 10;

/** No 0/o, 1/l/i: codes are read off paper. 31 symbols, 10 per code: about 49 bits each. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export interface RecoveryCodeSet {
  /** One HMAC per code, in order; a used code's slot is the empty string. */
  hashes: string[];
  /** Which encryption key the HMAC key was derived from: the set outlives key rotations. */
  keyId: string;
  generatedAt: Date;
}

/** `k7m2q-x9hbt`: random from a CSPRNG. */
export function newRecoveryCode(): string {
  const symbols = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${symbols.slice(0, 5).join('')}-${symbols.slice(5).join('')}`;
}

/** What people type: any case, spaces and dashes anywhere. */
export function normalizedRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '');
}

export function recoveryCodeHash(key: Buffer, accountId: string, code: string): string {
  return createHmac('sha256', key)
    .update(`${accountId}:${normalizedRecoveryCode(code)}`)
    .digest('base64url');
}

/** The slot of the presented code among the unused ones, compared in constant time; -1 when none. */
export function matchingSlot(set: RecoveryCodeSet, presentedHash: string): number {
  const presented = Buffer.from(presentedHash);
  let found = -1;
  set.hashes.forEach((hash, slot) => {
    const candidate = Buffer.from(hash);
    if (hash && candidate.length === presented.length && timingSafeEqual(candidate, presented)) found = slot;
  });
  return found;
}
