import { createHash, randomBytes } from 'node:crypto';
import { asTenantId, type TenantId } from '@messngr/kit/core';

const PREFIX = 'mrt1';
const SECRET_BYTES = 32;

/**
 * An opaque refresh token: `mrt1.<tenant>.<session>.<generation>.<version>.<256 random bits>`;
 * only the hash of the secret is stored. The generation (0 at sign-in, one more per
 * rotation) places the token in its family's history without reading it; the version is
 * the session document's as the token was issued, so the next rotation can be written
 * guarded by it without a read (a stale one only costs the read). The hash is what counts.
 */
export interface RefreshToken {
  token: string;
  tenantId: TenantId;
  sessionId: string;
  generation: number;
  sessionVersion: number;
  hash: string;
}

export function newRefreshToken(tenantId: TenantId, sessionId: string, generation: number, sessionVersion: number): RefreshToken {
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return {
    token: `${PREFIX}.${tenantId}.${sessionId}.${generation}.${sessionVersion}.${secret}`,
    tenantId,
    sessionId,
    generation,
    sessionVersion,
    hash: secretHash(secret),
  };
}

/** The parts of a presented token, or undefined when it cannot be one of ours. */
export function parseRefreshToken(token: string): RefreshToken | undefined {
  if (token.length > 300) return undefined;
  const [prefix, tenantId, sessionId, generation, version, secret, ...rest] = token.split('.');
  if (prefix !== PREFIX || rest.length > 0 || !tenantId || !sessionId || !generation || !version || !secret) return undefined;
  if (
    !/^ten_[0-9a-z_]{1,60}$/.test(tenantId) ||
    !/^ses_[0-9a-z]{26}$/.test(sessionId) ||
    !/^\d{1,9}$/.test(generation) ||
    !/^\d{1,9}$/.test(version) ||
    !/^[A-Za-z0-9_-]{43}$/.test(secret)
  ) {
    return undefined;
  }
  return {
    token,
    tenantId: asTenantId(tenantId),
    sessionId,
    generation: Number(generation),
    sessionVersion: Number(version),
    hash: secretHash(secret),
  };
}

function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
