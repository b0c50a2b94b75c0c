import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { AccessTokenVerifier, InvalidAccessTokenError } from './access-token-verifier';

const PUBLIC_URL = 'https://id.example';
const ISSUER = `${PUBLIC_URL}/t/acme`;

async function tenantKey(): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' } };
}

function verifierWith(jwk: JWK) {
  const calls: string[] = [];
  const fetch = (async (url: string | URL | Request) => {
    calls.push(String(url));
    return new Response(JSON.stringify({ keys: [jwk], messngr_tenant_id: 'ten_acme' }), { status: 200 });
  }) as typeof globalThis.fetch;
  const verifier = new AccessTokenVerifier({
    publicUrl: PUBLIC_URL,
    identityUrl: 'http://identity',
    audience: 'messngr',
    maxTokenAgeSeconds: 900,
    keySets: { fetch },
  });
  return { verifier, calls };
}

function token(claims: Record<string, unknown> = {}) {
  return new SignJWT({ tid: 'ten_acme', sid: 'ses_1', roles: [], ...claims })
    .setIssuer(ISSUER)
    .setAudience('messngr')
    .setSubject('acc_1')
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti('at_1');
}

describe('access token verifier', () => {
  it('verifies a good token and binds it to its issuer’s tenant', async () => {
    const { privateKey, jwk } = await tenantKey();
    const { verifier } = verifierWith(jwk);
    const good = await token().setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' }).sign(privateKey);
    await expect(verifier.verify(good)).resolves.toMatchObject({ accountId: 'acc_1', tenantId: 'ten_acme', sessionId: 'ses_1' });
    const otherTenant = await token({ tid: 'ten_other' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })
      .sign(privateKey);
    await expect(verifier.verify(otherTenant)).rejects.toThrow('tid is not the issuer tenant');
  });

  it('refuses a token of an algorithm it does not take before looking up any key', async () => {
    const { jwk } = await tenantKey();
    const { verifier, calls } = verifierWith(jwk);
    const rsa = await generateKeyPair('RS256');
    const forged = [
      await token().setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'random-1' }).sign(rsa.privateKey),
      await token().setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'random-2' }).sign(new Uint8Array(32)),
      `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'random-3' })).toString('base64url')}.${Buffer.from(
        JSON.stringify({ iss: ISSUER, sub: 'acc_1' }),
      ).toString('base64url')}.`,
    ];
    for (const candidate of forged) {
      await expect(verifier.verify(candidate)).rejects.toBeInstanceOf(InvalidAccessTokenError);
      await expect(verifier.verify(candidate)).rejects.toThrow('algorithm not allowed');
    }
    expect(calls).toEqual([]);
  });

  it('takes a client credentials token as the client’s own call: no account, session or roles', async () => {
    const { privateKey, jwk } = await tenantKey();
    const { verifier } = verifierWith(jwk);
    const signed = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setIssuer(ISSUER)
        .setAudience('messngr')
        .setSubject('cli_partner')
        .setIssuedAt()
        .setExpirationTime('5m')
        .setJti('at_2')
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })
        .sign(privateKey);
    const caller = await verifier.verify(await signed({ tid: 'ten_acme', client_id: 'cli_partner', scope: 'profile' }));
    expect(caller).toEqual({ tenantId: 'ten_acme', clientId: 'cli_partner', roles: [] });
    // Without a session, the subject must be the client itself, with no roles to claim.
    for (const claims of [
      { tid: 'ten_acme', client_id: 'cli_other' },
      { tid: 'ten_acme' },
      { tid: 'ten_acme', client_id: 'cli_partner', roles: ['TENANT_ADMIN'] },
    ]) {
      await expect(verifier.verify(await signed(claims))).rejects.toThrow(
        'a token without a session must be a client credentials token',
      );
    }
  });
});
