import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { signingInput } from './forged-tokens';

export type SigningAlg = 'ES256' | 'RS256';

/** What the next ID token gets wrong; `claims` overrides (or, with `undefined`, drops) payload claims. */
export type Misbehaviour =
  | { kind: 'nonce-mismatch' }
  | { kind: 'wrong-aud' }
  | { kind: 'expired' }
  | { kind: 'alg-none' }
  | { kind: 'wrong-iss' }
  | { kind: 'signed-by-other-key' }
  | { kind: 'claims'; claims: Record<string, unknown> };

export interface IdTokenSigner {
  alg: SigningAlg;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function idTokenSigner(alg: SigningAlg): Promise<IdTokenSigner> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/**
 * A compact JWS of `payload`, correct unless `misbehaviour` says otherwise. Signed by hand so that
 * any claim value, however malformed, goes out as given.
 */
export async function craftIdToken(
  payload: Record<string, unknown>,
  signer: IdTokenSigner,
  misbehaviour: Misbehaviour | undefined,
): Promise<{ idToken: string; claims: Record<string, unknown> }> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { ...payload };
  switch (misbehaviour?.kind) {
    case 'nonce-mismatch':
      claims['nonce'] = randomBytes(16).toString('base64url');
      break;
    case 'wrong-aud':
      claims['aud'] = 'some-other-client';
      break;
    case 'expired':
      Object.assign(claims, { iat: now - 900, exp: now - 600 });
      break;
    case 'wrong-iss':
      claims['iss'] = 'https://wrong-issuer.example.test';
      break;
    case 'claims':
      Object.assign(claims, misbehaviour.claims);
      break;
  }

  if (misbehaviour?.kind === 'alg-none') {
    return { idToken: `${signingInput({ alg: 'none', typ: 'JWT' }, claims)}.`, claims };
  }
  // The right kid, so a verifier must check the signature itself to refuse it.
  const key = misbehaviour?.kind === 'signed-by-other-key' ? (await idTokenSigner(signer.alg)).privateKey : signer.privateKey;
  const input = signingInput({ alg: signer.alg, typ: 'JWT', kid: signer.kid }, claims);
  const algorithm = signer.alg === 'ES256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' };
  const signature = Buffer.from(await crypto.subtle.sign(algorithm, key, Buffer.from(input)));
  return { idToken: `${input}.${signature.toString('base64url')}`, claims };
}
