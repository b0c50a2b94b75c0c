import { InvalidAccessTokenError } from './access-token-verifier';

/** A valid token the revocation list refuses: its session was revoked, its account disabled or its tenant suspended. */
export class RevokedAccessError extends Error {}

/**
 * The `reason` label of a refused access token: a short, bounded name (never anything from
 * the token itself), so the counter has a handful of series whatever clients send.
 */
export function tokenFailureReason(error: unknown): string {
  if (error instanceof RevokedAccessError) return KNOWN.has(error.message) ? snake(error.message) : 'revoked';
  if (!(error instanceof InvalidAccessTokenError)) return 'verification_failed';
  const jose = JOSE_REASONS[error.message];
  if (jose) return jose;
  if (error.message.startsWith('ERR_')) return 'invalid';
  return KNOWN.has(error.message) ? snake(error.message) : 'invalid';
}

const JOSE_REASONS: Record<string, string> = {
  ERR_JWT_EXPIRED: 'expired',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'bad_signature',
  ERR_JWT_CLAIM_VALIDATION_FAILED: 'claim_invalid',
  ERR_JWKS_NO_MATCHING_KEY: 'unknown_key',
  ERR_JWS_INVALID: 'malformed_token',
  ERR_JWT_INVALID: 'malformed_token',
};

const KNOWN = new Set([
  'token too long',
  'no issuer',
  'malformed token',
  'algorithm not allowed',
  'claims of the wrong type',
  'tid is not the issuer tenant',
  'unknown issuer',
  'verification failed',
  'tenant suspended',
  'account disabled',
  'session revoked',
]);

function snake(text: string): string {
  return text.replace(/[^a-z0-9]+/gi, '_').toLowerCase();
}
