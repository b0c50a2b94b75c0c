import { createHash } from 'node:crypto';

/** The S256 code challenge of a PKCE code verifier (RFC 7636 §4.2). */
export function s256Challenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier).digest('base64url');
}
