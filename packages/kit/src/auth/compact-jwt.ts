import { sign, type KeyObject } from 'node:crypto';

export type CompactJwtAlgorithm = 'ES256' | 'EdDSA';

/**
 * A compact JWS (RFC 7515) over a JSON payload, signed synchronously with node:crypto.
 * jose signs through WebCrypto, whose every operation is a thread-pool job and a promise;
 * on the hot paths (an access token per refresh, an assertion per new caller) that cost more than the
 * signature. Verification stays with jose.
 */
export function signCompactJwt(
  header: { alg: CompactJwtAlgorithm } & Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject,
): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature =
    header.alg === 'ES256'
      ? sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' })
      : sign(null, Buffer.from(signingInput), key);
  return `${signingInput}.${signature.toString('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
