import { createLocalJWKSet, decodeJwt, generateKeyPair, jwtVerify, SignJWT, type JWK } from 'jose';
import { AccessTokenIssuer } from '@messngr/identity/src/tokens/access-token-issuer';
import { AssertionSigner } from '@messngr/kit/auth';
import { generateSharedSecrets } from '@messngr/kit/config';
import { PLATFORM_TENANT } from '@messngr/kit/core';
import { postGraphQL, useStack, type Stack } from './harness/stack';

const WHO_AM_I = `{ me { id handle } }`;
const PLATFORM_ADMIN_ONLY = `mutation { createTenant(input: { name: "Should Not Exist" }) { tenant { id } } }`;

describe('gateway trust', () => {
  const env = useStack();

  describe('access tokens at the gateway', () => {
    it('accepts the token the CLI printed and knows who is calling', async () => {
      const response = await env.stack.graphql<{ me: { id: string; handle: string } }>(WHO_AM_I, undefined, env.adminToken);
      expect(response.errors).toBeUndefined();
      expect(response.data?.me).toEqual({ id: decodeJwt(env.adminToken).sub, handle: 'admin' });
    });

    it('publishes the tenant JWKS and discovery document on the gateway port, and the token verifies against them', async () => {
      const issuer = `${env.stack.publicUrl}/t/${PLATFORM_TENANT.slug}`;
      const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      expect(discovery['issuer']).toBe(issuer);
      const jwks = (await (await fetch(String(discovery['jwks_uri']))).json()) as { keys: JWK[] };
      expect(jwks.keys.length).toBeGreaterThan(0);
      for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
      const { payload, protectedHeader } = await jwtVerify(env.adminToken, createLocalJWKSet(jwks), {
        issuer,
        audience: 'messngr',
      });
      expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
      expect(payload).toMatchObject({ tid: PLATFORM_TENANT.id, roles: ['platform_admin'] });
      expect(typeof payload['sid']).toBe('string');
      expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(900);
    });

    it.each(craftedTokens())('refuses %s with 401 UNAUTHENTICATED', async (_label, craft) => {
      const token = await craft(env.stack);
      const response = await env.stack.graphql(WHO_AM_I, undefined, token);
      expect(response.status).toBe(401);
      expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(response.data ?? null).toBeNull();
    });

    it('ignores identity headers sent by clients: a leaked assertion does not make anyone an admin', async () => {
      const signer = await AssertionSigner.fromJwk(env.stack.secrets.GATEWAY_ASSERTION_PRIVATE_KEY);
      const caller = { accountId: decodeJwt(env.adminToken).sub!, tenantId: PLATFORM_TENANT.id, roles: ['platform_admin'] };
      const response = await postGraphQL(env.stack.gatewayUrl, PLATFORM_ADMIN_ONLY, undefined, undefined, {
        'x-messngr-assertion': await signer.sign(caller, 'tenant'),
        'x-user-id': caller.accountId,
        'x-tenant-id': caller.tenantId,
      });
      expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('subgraphs called directly', () => {
    const query = `{ tenant(id: "${PLATFORM_TENANT.id}") { id slug } }`;
    const entities = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Tenant { id slug } } }`;

    it('answer a request carrying a valid assertion (the control case)', async () => {
      const signer = await AssertionSigner.fromJwk(env.stack.secrets.GATEWAY_ASSERTION_PRIVATE_KEY);
      const response = await postGraphQL(`${env.stack.subgraphUrls.tenant}/graphql`, query, undefined, undefined, {
        'x-messngr-assertion': await signer.sign({ roles: [] }, 'tenant'),
      });
      expect(response.data).toEqual({ tenant: { id: PLATFORM_TENANT.id, slug: 'platform' } });
    });

    it('refuse a request without an assertion, _entities included', async () => {
      for (const [body, variables] of [
        [query, undefined],
        [entities, { r: [{ __typename: 'Tenant', id: PLATFORM_TENANT.id }] }],
      ] as const) {
        const response = await postGraphQL(`${env.stack.subgraphUrls.tenant}/graphql`, body, variables);
        expect(response.status).toBe(401);
        expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        expect(response.data ?? null).toBeNull();
      }
    });

    it('refuse an assertion signed by another key, meant for another subgraph, or expired', async () => {
      const stranger = await AssertionSigner.fromJwk(generateSharedSecrets().GATEWAY_ASSERTION_PRIVATE_KEY);
      const gateway = await AssertionSigner.fromJwk(env.stack.secrets.GATEWAY_ASSERTION_PRIVATE_KEY);
      const admin = { accountId: 'acc_x', tenantId: PLATFORM_TENANT.id, roles: ['platform_admin'] };
      const assertions = [
        await stranger.sign(admin, 'tenant'),
        await gateway.sign(admin, 'identity'),
        await gateway.sign(admin, 'tenant', Date.now() - 5 * 60_000),
        'not-a-jwt',
      ];
      for (const assertion of assertions) {
        const response = await postGraphQL(
          `${env.stack.subgraphUrls.tenant}/graphql`,
          PLATFORM_ADMIN_ONLY,
          undefined,
          undefined,
          {
            'x-messngr-assertion': assertion,
          },
        );
        expect(response.status).toBe(401);
        expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      }
    });
  });

  it('wrote no token, signing key or secret to any log line', () => {
    const logs = env.stack.logs.text();
    expect(logs.length).toBeGreaterThan(0);
    const privateJwk = JSON.parse(env.stack.secrets.GATEWAY_ASSERTION_PRIVATE_KEY) as { d: string };
    const encryptionKey = env.stack.secrets.SECRETS_ENCRYPTION_KEYS.split(':')[1]!;
    for (const secret of [env.adminToken, env.adminToken.split('.')[2]!, privateJwk.d, encryptionKey]) {
      expect(logs).not.toContain(secret);
    }
  });
});

type Craft = (stack: Stack) => Promise<string>;

function craftedTokens(): [string, Craft][] {
  const realIssuer = (stack: Stack) => `${stack.publicUrl}/t/${PLATFORM_TENANT.slug}`;
  const claims = { tid: PLATFORM_TENANT.id, sid: 'ses_x', roles: ['platform_admin'] };
  const signWithStrangerKey = async (stack: Stack, header: Record<string, unknown> = {}) => {
    const { privateKey } = await generateKeyPair('ES256');
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', ...header })
      .setIssuer(realIssuer(stack))
      .setAudience('messngr')
      .setSubject('acc_forged')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  };
  const issueWithRealKey = async (stack: Stack, options: { clockOffsetMs?: number; audience?: string }) => {
    const { keys, tenants } = stack.services.identity.deps;
    const issuer = new AccessTokenIssuer({
      keys,
      tenants,
      clock: { now: () => new Date(Date.now() + (options.clockOffsetMs ?? 0)) },
      publicUrl: stack.publicUrl,
      audience: options.audience ?? 'messngr',
      ttlSeconds: 600,
    });
    const admin = decodeJwt(await stack.adminTokenFromCli());
    return (
      await issuer.issue({
        tenantId: PLATFORM_TENANT.id,
        accountId: admin.sub!,
        sessionId: 'ses_x',
        roles: ['platform_admin'],
        clientId: 'test',
      })
    ).token;
  };
  const unsigned = (header: Record<string, unknown>, payload: Record<string, unknown>) =>
    `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
  return [
    ['garbage', async () => 'garbage'],
    ['a token signed by a key that is not the tenant’s (forged)', (stack) => signWithStrangerKey(stack)],
    [
      'a forged token reusing the real kid',
      async (stack) => {
        const jwks = (await (await fetch(`${realIssuer(stack)}/jwks.json`)).json()) as { keys: JWK[] };
        return signWithStrangerKey(stack, { kid: jwks.keys[0]!.kid });
      },
    ],
    [
      'alg none',
      async (stack) =>
        unsigned(
          { alg: 'none', typ: 'at+jwt' },
          { ...claims, iss: realIssuer(stack), aud: 'messngr', sub: 'acc_x', iat: now(), exp: now() + 300 },
        ),
    ],
    ['an expired token signed with the real key', (stack) => issueWithRealKey(stack, { clockOffsetMs: -20 * 60_000 })],
    ['a token for another audience signed with the real key', (stack) => issueWithRealKey(stack, { audience: 'someone-else' })],
    [
      'a token from an unknown issuer',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
          .setIssuer('https://evil.example/t/platform')
          .setAudience('messngr')
          .setSubject('acc_x')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
      },
    ],
  ];
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
