import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export const CODE_DIGITS = 6;
export const CODE_TTL_MS = 10 * 60_000;
export const MAX_ATTEMPTS_PER_CODE = 5;

/** Six digits from the CSPRNG, leading zeros kept. */
export function newCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

/**
 * What is stored of a code: an HMAC bound to its flow, under a server key, so a leaked
 * database alone does not give the million candidates away.
 */
export function codeHash(key: Buffer, flowId: string, code: string): string {
  return createHmac('sha256', key).update(`${flowId}:${code}`).digest('base64url');
}

/** Constant-time comparison of a presented code with the stored hash. */
export function codeMatches(key: Buffer, flowId: string, presented: string, stored: string): boolean {
  const candidate = Buffer.from(codeHash(key, flowId, presented.trim()));
  const expected = Buffer.from(stored);
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

/** A code waiting for delivery is sealed to its flow: copied to another flow, it does not open. */
export function codeContext(flowId: string): string {
  return `login-code:${flowId}`;
}
