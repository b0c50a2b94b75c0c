import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Prefixed, time-ordered, unguessable ids ("acc_01jd3..."): 48 bits of milliseconds then
 * 80 random bits, Crockford base32. Sortable by creation, usable as cursors.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  let time = '';
  let remaining = now;
  for (let i = 0; i < 10; i += 1) {
    time = ALPHABET[remaining % 32] + time;
    remaining = Math.floor(remaining / 32);
  }
  const random = randomBytes(10);
  let randomPart = '';
  for (let i = 0; i < 16; i += 1) {
    const bitOffset = i * 5;
    const byte = bitOffset >> 3;
    const shift = bitOffset & 7;
    const word = ((random[byte] ?? 0) << 8) | (random[byte + 1] ?? 0);
    randomPart += ALPHABET[(word >> (11 - shift)) & 31];
  }
  return `${prefix}_${time}${randomPart}`;
}

/**
 * An id that is also a capability (a sign-in flow's, say): 128 random bits and nothing else,
 * so holding it is the proof. Not time-ordered; never use it as a cursor.
 */
export function newCapabilityId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}
