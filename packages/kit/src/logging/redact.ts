import { stdSerializers } from 'pino';

/** Keys whose values never reach a log line, wherever they sit in a logged object (compared case-insensitively). */
export const REDACTED_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'code_verifier',
  'otp',
  'otpCode',
  'privateKey',
  'privateJwk',
  'encryptedPrivateKey',
  'x-messngr-assertion',
] as const;

export const REDACTED = '[redacted]';
const SENSITIVE = new Set(REDACTED_KEYS.map((key) => key.toLowerCase()));
/** Deeper than any object we log on purpose; beyond it, nothing is shown at all. */
const MAX_DEPTH = 12;

/**
 * A copy of `value` with every sensitive key's value replaced, at any depth, in arrays
 * too. A top-level `code` is redacted as well (it may be a one-time code); a nested one is
 * usually an error code and is kept. Errors become `{ type, message, stack, ...fields }`.
 */
export function redactDeep(value: unknown): unknown {
  return redact(value, 0, new WeakSet(), true);
}

function redact(value: unknown, depth: number, seen: WeakSet<object>, topLevel: boolean): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen, false));
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  // An error's message and stack are not enumerable: serialize first, then redact its fields.
  const fields = value instanceof Error ? stdSerializers.err(value) : value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(fields)) {
    const lower = key.toLowerCase();
    copy[key] = SENSITIVE.has(lower) || (topLevel && lower === 'code') ? REDACTED : redact(inner, depth + 1, seen, false);
  }
  return copy;
}
