import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';
import { AccessTokenIssuer } from '@messngr/identity/src/tokens/access-token-issuer';
import { AssertionSigner } from '@messngr/kit/auth';
import { generateSharedSecrets } from '@messngr/kit/config';
import { asTenantId, PLATFORM_TENANT } from '@messngr/kit/core';
import { eventually } from './harness/eventually';
import {
  attackerKey,
  base64url,
  derEncodedSignature,
  es256Signature,
  signEs256,
  signHs256,
  signingInput,
  startAttackerServer,
  type AttackerKey,
  type AttackerServer,
} from './harness/forged-tokens';
import { postGraphQL, useStack, type GraphQLResponse, type Stack } from './harness/stack';
import { ok, personIn, tenantApi, unique } from './harness/tenant-api';

const WHO_AM_I = `{ me { id handle } }`;
const PLATFORM_ADMIN_ONLY = `mutation { createTenant(input: { name: "Should Not Exist" }) { tenant { id } } }`;
const AUDIENCE = 'messngr';
/** `accessTokenMaxAgeSeconds` of the test stack's gateway. */
const MAX_TOKEN_AGE_SECONDS = 900;
const JWKS_ROUTE = '/t/:slug/jwks.json';

/** Why the gateway refuses a token, as its verifier says in the log line of the refusal. */
const REFUSED = {
  ALGORITHM: 'algorithm not allowed',
  MALFORMED: 'malformed token',
  SIGNATURE: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  NO_KEY: 'ERR_JWKS_NO_MATCHING_KEY',
  TENANT: 'tid is not the issuer tenant',
  CLAIM: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
  EXPIRED: 'ERR_JWT_EXPIRED',
  ISSUER: 'unknown issuer',
  TYPES: 'claims of the wrong type',
  NOT_BEARER: 'not a bearer token',
  TOO_LONG: 'token too long',
  CRITICAL: 'ERR_JOSE_NOT_SUPPORTED',
  UNENCODED: 'ERR_JWT_INVALID',
  NOT_A_CLIENT: 'a token without a session must be a client credentials token',
} as const;

describe('gateway trust', () => {
  const env = useStack();

  describe('access tokens at the gateway', () => {
    let ctx: CraftContext;
    let attackerServer: AttackerServer | undefined;

    beforeAll(async () => {
      const attacker = await attackerKey();
      attackerServer = await startAttackerServer(attacker);
      ctx = await craftContext(env, attacker, attackerServer.url);
    });
    afterAll(() => attackerServer?.close());

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
        audience: AUDIENCE,
      });
      expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
      expect(payload).toMatchObject({ tid: PLATFORM_TENANT.id, roles: ['platform_admin'] });
      expect(typeof payload['sid']).toBe('string');
      expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(900);
    });

    it('accepts what the crafting helpers sign correctly, in both tenants (the control for every refusal below)', async () => {
      const own = await send(env.stack, await signedByTenant(ctx));
      expect(own.errors).toBeUndefined();
      expect(own.data).toEqual({ me: { id: ctx.adminId, handle: 'admin' } });
      const other = await send(
        env.stack,
        await signedByTenant(
          ctx,
          {},
          { iss: ctx.other.issuer, tid: ctx.other.id, sub: ctx.other.memberId, roles: [] },
          ctx.other.key,
        ),
      );
      expect(other.errors).toBeUndefined();
      expect(other.data).toEqual({ me: { id: ctx.other.memberId, handle: expect.any(String) } });
    });

    it.each(craftedTokens())('refuses %s with 401 UNAUTHENTICATED (%s)', async (_label, reason, craft) => {
      expect(await refusalOf(env.stack, await craft(ctx))).toEqual({ status: 401, code: 'UNAUTHENTICATED', data: null, reason });
    });

    it('crafts at least 30 distinct tokens', () => {
      expect(new Set(craftedTokens().map(([label]) => label)).size).toBeGreaterThanOrEqual(30);
    });

    it('never fetched a key a token pointed at (jku, x5u) or took one a token carried (jwk, x5c)', () => {
      expect(attackerServer?.requests).toEqual([]);
    });

    it('answers an Authorization header over the HTTP header limit (20 KB) with 431, not a 5xx, and keeps serving', async () => {
      const huge = await signedByTenant(ctx, {}, { padding: 'x'.repeat(20 * 1024) });
      env.stack.handledSecrets.add(huge);
      // Node refuses the request line and headers beyond 16 KiB before the gateway sees them.
      const response = await fetch(env.stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${huge}` },
        body: JSON.stringify({ query: WHO_AM_I }),
      });
      await response.body?.cancel();
      expect(response.status).toBe(431);
      const after = await send(env.stack, await signedByTenant(ctx));
      expect(after.data).toEqual({ me: { id: ctx.adminId, handle: 'admin' } });
    });

    it('keeps the tenant’s key set through 200 tokens of random issuers: no eviction, no refetch, one look-up per unknown issuer', async () => {
      const before = await jwksFetchCounts(env.stack);
      const underOurPrefix = Array.from({ length: 100 }, () => `${env.stack.publicUrl}/t/rnd-${randomBytes(6).toString('hex')}`);
      const foreign = Array.from(
        { length: 100 },
        (_, i) => `https://evil-${i}-${randomBytes(3).toString('hex')}.example/t/platform`,
      );
      const tokens = await Promise.all(
        [...underOurPrefix, ...foreign].map((iss) =>
          signEs256(strangerHeader(ctx), claims(ctx, { iss }), ctx.attacker.privateKey),
        ),
      );
      for (let i = 0; i < tokens.length; i += 10) {
        const responses = await Promise.all(tokens.slice(i, i + 10).map((token) => send(env.stack, token)));
        for (const response of responses) expect(response.status).toBe(401);
      }
      const afterRandom = await jwksFetchCounts(env.stack);
      // Each unknown tenant slug was looked up once (404); hosts that are not ours were never looked up.
      expect(afterRandom.notFound - before.notFound).toBe(underOurPrefix.length);
      // The same issuers again are known to be unknown: no look-up at all.
      for (const token of tokens.slice(0, 20)) expect((await send(env.stack, token)).status).toBe(401);
      // A fresh token of the real tenant (not in the verified-token cache) verifies against the key set it
      // already had: the set was neither evicted nor refetched.
      const real = await send(env.stack, await signedByTenant(ctx));
      expect(real.data).toEqual({ me: { id: ctx.adminId, handle: 'admin' } });
      expect(await jwksFetchCounts(env.stack)).toEqual(afterRandom);
      expect(afterRandom.found).toBe(before.found);
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

interface SigningKey {
  kid: string;
  key: CryptoKey | KeyObject;
}

/** What the crafted tokens are made of: the tenant's real key, another tenant's, and the attacker's. */
interface CraftContext {
  stack: Stack;
  issuer: string;
  adminId: string;
  /** The platform tenant's signing key, as identity holds it. */
  key: SigningKey;
  /** The same key as the JWKS publishes it: what anybody can fetch. */
  publishedJwk: JWK;
  other: { id: string; slug: string; issuer: string; key: SigningKey; memberId: string };
  attacker: AttackerKey;
  attackerUrl: string;
}

async function craftContext(
  env: { readonly stack: Stack; readonly adminToken: string },
  attacker: AttackerKey,
  attackerUrl: string,
) {
  const { stack } = env;
  const { keys } = stack.services.identity.deps;
  const issuer = `${stack.publicUrl}/t/${PLATFORM_TENANT.slug}`;
  const key = await keys.activeKey(PLATFORM_TENANT.id);
  const jwks = (await (await fetch(`${issuer}/jwks.json`)).json()) as { keys: JWK[] };
  const publishedJwk = jwks.keys.find((candidate) => candidate.kid === key.kid);
  if (!publishedJwk) throw new Error('the platform signing key is not in its JWKS');

  const other = ok(await tenantApi(env).createTenant({ name: unique('Trust Other') })).createTenant.tenant;
  const otherIssuer = `${stack.publicUrl}/t/${other.slug}`;
  // Identity learns of the tenant from its event; its first key is made on first use.
  await eventually(async () => {
    const response = await fetch(`${otherIssuer}/jwks.json`);
    await response.body?.cancel();
    if (response.status !== 200) throw new Error(`JWKS of the other tenant answered ${response.status}`);
  });
  const otherKey = await keys.activeKey(asTenantId(other.id));
  const member = await personIn(env, other.id);
  return {
    stack,
    issuer,
    adminId: decodeJwt(env.adminToken).sub!,
    key,
    publishedJwk,
    other: { id: other.id, slug: other.slug, issuer: otherIssuer, key: otherKey, memberId: member.accountId },
    attacker,
    attackerUrl,
  } satisfies CraftContext;
}

/** A crafted bearer token, or a whole Authorization header value. */
type Crafted = string | { authorization: string };
type Craft = (ctx: CraftContext) => Promise<Crafted> | Crafted;

interface Refusal {
  status: number;
  code: string | undefined;
  data: unknown;
  /** Why the gateway refused it, from its log line for this request. */
  reason: string | undefined;
}

/** Sends `{ me }` with the crafted token, under a correlation id of its own to find the gateway's log line. */
async function send(stack: Stack, crafted: Crafted): Promise<GraphQLResponse<{ me: { id: string; handle: string } | null }>> {
  return (await sendTraced(stack, crafted)).response;
}

async function sendTraced(stack: Stack, crafted: Crafted) {
  const authorization = typeof crafted === 'string' ? `Bearer ${crafted}` : crafted.authorization;
  stack.handledSecrets.add(typeof crafted === 'string' ? crafted : crafted.authorization.replace(/^\S+\s*/, ''));
  const correlationId = `trust-${randomBytes(8).toString('hex')}`;
  const response = await postGraphQL<{ me: { id: string; handle: string } | null }>(
    stack.gatewayUrl,
    WHO_AM_I,
    undefined,
    undefined,
    {
      authorization,
      'x-correlation-id': correlationId,
    },
  );
  return { response, correlationId };
}

async function refusalOf(stack: Stack, crafted: Crafted): Promise<Refusal> {
  const { response, correlationId } = await sendTraced(stack, crafted);
  const line = stack.logs.lines.find(
    (candidate) => candidate.includes(correlationId) && candidate.includes('refused an access token'),
  );
  return {
    status: response.status,
    code: response.errors?.[0]?.extensions?.code,
    data: response.data ?? null,
    reason: line ? (JSON.parse(line) as { reason?: string }).reason : undefined,
  };
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** The claims of a good platform-admin token; `undefined` in `overrides` leaves a claim out. */
function claims(ctx: CraftContext, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const t = now();
  return {
    iss: ctx.issuer,
    aud: AUDIENCE,
    sub: ctx.adminId,
    tid: PLATFORM_TENANT.id,
    sid: 'ses_trust',
    jti: `at_${randomBytes(8).toString('hex')}`,
    roles: ['platform_admin'],
    client_id: 'trust-e2e',
    iat: t,
    nbf: t,
    exp: t + 300,
    ...overrides,
  };
}

/** Signed with a tenant's real key (the platform's unless told): good unless the overrides spoil it. */
function signedByTenant(
  ctx: CraftContext,
  header: Record<string, unknown> = {},
  claimOverrides: Record<string, unknown> = {},
  key: SigningKey = ctx.key,
): Promise<string> {
  return signEs256({ alg: 'ES256', typ: 'at+jwt', kid: key.kid, ...header }, claims(ctx, claimOverrides), key.key);
}

function strangerHeader(ctx: CraftContext, header: Record<string, unknown> = {}): Record<string, unknown> {
  return { alg: 'ES256', typ: 'at+jwt', kid: ctx.attacker.kid, ...header };
}

/** Signed with the attacker's key: a forgery whatever the header claims. */
function signedByAttacker(ctx: CraftContext, header: Record<string, unknown> = {}, claimOverrides: Record<string, unknown> = {}) {
  return signEs256(strangerHeader(ctx, header), claims(ctx, claimOverrides), ctx.attacker.privateKey);
}

/** Signed by a key of another algorithm the attacker made, with the claims and kid of a good token. */
async function signedWithStrangerAlgorithm(ctx: CraftContext, alg: string, kid?: string): Promise<string> {
  const { privateKey } = await generateKeyPair(alg);
  return new SignJWT(claims(ctx)).setProtectedHeader({ alg, typ: 'at+jwt', kid: kid ?? `stranger-${alg}` }).sign(privateKey);
}

/** A good token of the real key with its signature replaced. */
async function withSignature(ctx: CraftContext, spoil: (signature: Buffer) => Buffer): Promise<string> {
  const input = signingInput({ alg: 'ES256', typ: 'at+jwt', kid: ctx.key.kid }, claims(ctx));
  return `${input}.${spoil(await es256Signature(input, ctx.key.key)).toString('base64url')}`;
}

function unsigned(header: Record<string, unknown>, payload: Record<string, unknown>, signature = ''): string {
  return `${signingInput(header, payload)}.${signature}`;
}

/** Through the production issuer (AccessTokenIssuer) with the real key, on a moved clock or for another audience. */
async function issuedByIdentity(ctx: CraftContext, options: { clockOffsetMs?: number; audience?: string }): Promise<string> {
  const { keys, tenants } = ctx.stack.services.identity.deps;
  const issuer = new AccessTokenIssuer({
    keys,
    tenants,
    clock: { now: () => new Date(Date.now() + (options.clockOffsetMs ?? 0)) },
    publicUrl: ctx.stack.publicUrl,
    audience: options.audience ?? AUDIENCE,
    ttlSeconds: 600,
  });
  const issued = await issuer.issue({
    tenantId: PLATFORM_TENANT.id,
    accountId: ctx.adminId,
    sessionId: 'ses_trust',
    roles: ['platform_admin'],
    clientId: 'test',
  });
  return issued.token;
}

function craftedTokens(): [string, string, Craft][] {
  const none = (ctx: CraftContext, alg: string, signature = '') =>
    unsigned({ alg, typ: 'at+jwt', kid: ctx.key.kid }, claims(ctx), signature);
  const publicKeyObject = (ctx: CraftContext) => createPublicKey({ key: ctx.publishedJwk, format: 'jwk' });
  return [
    // alg none in its spellings, signed or not.
    ['alg "none" with an empty signature', REFUSED.ALGORITHM, (ctx) => none(ctx, 'none')],
    ['alg "None" with an empty signature', REFUSED.ALGORITHM, (ctx) => none(ctx, 'None')],
    ['alg "NONE" with an empty signature', REFUSED.ALGORITHM, (ctx) => none(ctx, 'NONE')],
    ['alg "none" without a signature part', REFUSED.MALFORMED, (ctx) => none(ctx, 'none').slice(0, -1)],
    ['alg "none" with a random signature', REFUSED.ALGORITHM, (ctx) => none(ctx, 'none', randomBytes(64).toString('base64url'))],
    [
      'alg "none" carrying the signature of a real token',
      REFUSED.ALGORITHM,
      async (ctx) => none(ctx, 'none', (await signedByTenant(ctx)).split('.')[2]!),
    ],

    // Algorithm confusion: the public key used as an HMAC secret.
    [
      'HS256 keyed with the tenant’s public JWK as published (JSON)',
      REFUSED.ALGORITHM,
      (ctx) => signHs256({ alg: 'HS256', typ: 'at+jwt', kid: ctx.key.kid }, claims(ctx), JSON.stringify(ctx.publishedJwk)),
    ],
    [
      'HS256 keyed with the tenant’s public key as PEM (SPKI)',
      REFUSED.ALGORITHM,
      (ctx) =>
        signHs256(
          { alg: 'HS256', typ: 'at+jwt', kid: ctx.key.kid },
          claims(ctx),
          publicKeyObject(ctx).export({ type: 'spki', format: 'pem' }),
        ),
    ],
    [
      'HS256 keyed with the tenant’s public key as DER (SPKI)',
      REFUSED.ALGORITHM,
      (ctx) =>
        signHs256(
          { alg: 'HS256', typ: 'at+jwt', kid: ctx.key.kid },
          claims(ctx),
          publicKeyObject(ctx).export({ type: 'spki', format: 'der' }),
        ),
    ],

    // Another tenant's real key, issuer and tenant id, mixed with this tenant's.
    [
      'a token signed with another tenant’s real key (its kid), claiming this tenant',
      REFUSED.NO_KEY,
      (ctx) => signedByTenant(ctx, {}, {}, ctx.other.key),
    ],
    [
      'a token signed with another tenant’s real key under this tenant’s kid',
      REFUSED.SIGNATURE,
      (ctx) => signEs256({ alg: 'ES256', typ: 'at+jwt', kid: ctx.key.kid }, claims(ctx), ctx.other.key.key),
    ],
    [
      'the other tenant’s issuer, signed with this tenant’s key',
      REFUSED.NO_KEY,
      (ctx) => signedByTenant(ctx, {}, { iss: ctx.other.issuer }),
    ],
    [
      'the other tenant’s issuer and tid, signed with this tenant’s key',
      REFUSED.NO_KEY,
      (ctx) => signedByTenant(ctx, {}, { iss: ctx.other.issuer, tid: ctx.other.id }),
    ],
    [
      'the tid of another tenant, with this tenant’s correct key and issuer',
      REFUSED.TENANT,
      (ctx) => signedByTenant(ctx, {}, { tid: ctx.other.id }),
    ],
    [
      'the other tenant’s correct key and issuer, with this tenant’s tid',
      REFUSED.TENANT,
      (ctx) => signedByTenant(ctx, {}, { iss: ctx.other.issuer }, ctx.other.key),
    ],

    // Keys the tenant does not have.
    ['an unknown kid', REFUSED.NO_KEY, (ctx) => signedByAttacker(ctx, { kid: `kid-${randomBytes(8).toString('hex')}` })],
    ['a stranger’s key reusing the real kid', REFUSED.SIGNATURE, (ctx) => signedByAttacker(ctx, { kid: ctx.key.kid })],
    ['a stranger’s key and no kid', REFUSED.SIGNATURE, (ctx) => signedByAttacker(ctx, { kid: undefined })],

    // Keys the token points at or carries.
    [
      'jku pointing at the attacker’s JWKS',
      REFUSED.NO_KEY,
      (ctx) => signedByAttacker(ctx, { jku: `${ctx.attackerUrl}/jwks.json` }),
    ],
    [
      'jku pointing at the attacker’s JWKS, under the real kid',
      REFUSED.SIGNATURE,
      (ctx) => signedByAttacker(ctx, { jku: `${ctx.attackerUrl}/jwks.json`, kid: ctx.key.kid }),
    ],
    ['jwk embedding the attacker’s key', REFUSED.NO_KEY, (ctx) => signedByAttacker(ctx, { jwk: ctx.attacker.publicJwk })],
    [
      'jwk embedding the attacker’s key, under the real kid',
      REFUSED.SIGNATURE,
      (ctx) => signedByAttacker(ctx, { jwk: ctx.attacker.publicJwk, kid: ctx.key.kid }),
    ],
    [
      'x5u pointing at the attacker’s certificate',
      REFUSED.NO_KEY,
      (ctx) => signedByAttacker(ctx, { x5u: `${ctx.attackerUrl}/cert.pem` }),
    ],
    [
      'x5c embedding the attacker’s self-signed certificate',
      REFUSED.NO_KEY,
      (ctx) => signedByAttacker(ctx, { x5c: [ctx.attacker.certificate] }),
    ],
    [
      'jku, jwk, x5u and x5c at once, without kid',
      REFUSED.SIGNATURE,
      (ctx) =>
        signedByAttacker(ctx, {
          kid: undefined,
          jku: `${ctx.attackerUrl}/jwks.json`,
          jwk: ctx.attacker.publicJwk,
          x5u: `${ctx.attackerUrl}/cert.pem`,
          x5c: [ctx.attacker.certificate],
        }),
    ],

    // The real key, with a header or claim wrong.
    ['typ "JWT" (an ID-token-like JWT, not an access token)', REFUSED.CLAIM, (ctx) => signedByTenant(ctx, { typ: 'JWT' })],
    ['no typ', REFUSED.CLAIM, (ctx) => signedByTenant(ctx, { typ: undefined })],
    [
      'another audience (through identity’s own issuer)',
      REFUSED.CLAIM,
      (ctx) => issuedByIdentity(ctx, { audience: 'someone-else' }),
    ],
    ['no aud', REFUSED.CLAIM, (ctx) => signedByTenant(ctx, {}, { aud: undefined })],
    ['an aud list without ours', REFUSED.CLAIM, (ctx) => signedByTenant(ctx, {}, { aud: ['someone-else', 'messngr-admin'] })],
    ['the issuer with a trailing slash', REFUSED.ISSUER, (ctx) => signedByTenant(ctx, {}, { iss: `${ctx.issuer}/` })],
    [
      'the issuer on https instead of http',
      REFUSED.ISSUER,
      (ctx) => signedByTenant(ctx, {}, { iss: ctx.issuer.replace(/^http:/, 'https:') }),
    ],
    [
      'the issuer on another host name (localhost)',
      REFUSED.ISSUER,
      (ctx) => signedByTenant(ctx, {}, { iss: ctx.issuer.replace('127.0.0.1', 'localhost') }),
    ],
    [
      'the issuer with the slug in capitals',
      REFUSED.ISSUER,
      (ctx) => signedByTenant(ctx, {}, { iss: ctx.issuer.replace(/platform$/, 'PLATFORM') }),
    ],
    [
      'the issuer with a path after the slug',
      REFUSED.ISSUER,
      (ctx) => signedByTenant(ctx, {}, { iss: `${ctx.issuer}/../${ctx.other.slug}` }),
    ],
    [
      'the issuer of a tenant that does not exist',
      REFUSED.ISSUER,
      (ctx) => signedByTenant(ctx, {}, { iss: `${ctx.stack.publicUrl}/t/no-such-${randomBytes(4).toString('hex')}` }),
    ],
    ['a random foreign issuer', REFUSED.ISSUER, (ctx) => signedByAttacker(ctx, {}, { iss: 'https://evil.example/t/platform' })],
    ['no issuer', REFUSED.MALFORMED, (ctx) => signedByTenant(ctx, {}, { iss: undefined })],
    ['an issuer that is not a string', REFUSED.MALFORMED, (ctx) => signedByTenant(ctx, {}, { iss: 42 })],

    // Time.
    [
      'an expired token (identity’s issuer, 20 minutes ago)',
      REFUSED.EXPIRED,
      (ctx) => issuedByIdentity(ctx, { clockOffsetMs: -20 * 60_000 }),
    ],
    [
      'a token expired a minute ago, beyond the clock tolerance',
      REFUSED.EXPIRED,
      (ctx) => signedByTenant(ctx, {}, { iat: now() - 360, nbf: now() - 360, exp: now() - 60 }),
    ],
    [
      'a token not valid before 5 minutes from now (nbf)',
      REFUSED.CLAIM,
      (ctx) => signedByTenant(ctx, {}, { nbf: now() + 300, exp: now() + 600 }),
    ],
    [
      'a token issued 5 minutes in the future (iat)',
      REFUSED.CLAIM,
      (ctx) => signedByTenant(ctx, {}, { iat: now() + 300, exp: now() + 600 }),
    ],
    [
      `a token issued beyond the gateway’s max age (${MAX_TOKEN_AGE_SECONDS} s) though exp is in the future`,
      REFUSED.EXPIRED,
      (ctx) => signedByTenant(ctx, {}, { iat: now() - MAX_TOKEN_AGE_SECONDS - 120, nbf: now() - MAX_TOKEN_AGE_SECONDS - 120 }),
    ],
    ['no exp', REFUSED.CLAIM, (ctx) => signedByTenant(ctx, {}, { exp: undefined })],
    ['no iat', REFUSED.CLAIM, (ctx) => signedByTenant(ctx, {}, { iat: undefined })],

    // Claims the gateway needs.
    ['no sub', REFUSED.CLAIM, (ctx) => signedByTenant(ctx, {}, { sub: undefined })],
    [
      'no sid (an account’s token passed off as a client’s)',
      REFUSED.NOT_A_CLIENT,
      (ctx) => signedByTenant(ctx, {}, { sid: undefined }),
    ],
    [
      'no sid, client_id the subject, with roles',
      REFUSED.NOT_A_CLIENT,
      (ctx) => signedByTenant(ctx, {}, { sid: undefined, client_id: 'acc_forged', sub: 'acc_forged', roles: ['TENANT_ADMIN'] }),
    ],
    ['no jti', REFUSED.CLAIM, (ctx) => signedByTenant(ctx, {}, { jti: undefined })],
    ['no tid', REFUSED.CLAIM, (ctx) => signedByTenant(ctx, {}, { tid: undefined })],
    ['a sub that is not a string', REFUSED.TYPES, (ctx) => signedByTenant(ctx, {}, { sub: 12345 })],
    ['a tid that is not a string', REFUSED.TYPES, (ctx) => signedByTenant(ctx, {}, { tid: { $ne: null } })],

    // Not a token at all.
    ['garbage', REFUSED.MALFORMED, () => 'garbage'],
    ['an empty bearer', REFUSED.NOT_BEARER, () => ({ authorization: 'Bearer ' })],
    ['two dots', REFUSED.MALFORMED, () => '..'],
    [
      'base64 junk in three parts',
      REFUSED.MALFORMED,
      () =>
        `${randomBytes(24).toString('base64url')}.${randomBytes(48).toString('base64url')}.${randomBytes(64).toString('base64url')}`,
    ],
    [
      'JSON that is not an object in every part',
      REFUSED.MALFORMED,
      () => `${base64url('[]')}.${base64url('"x"')}.${base64url('null')}`,
    ],
    [
      'a JWE-shaped five-part token',
      REFUSED.MALFORMED,
      () => Array.from({ length: 5 }, () => randomBytes(16).toString('base64url')).join('.'),
    ],
    [
      'a good token with a fourth part',
      REFUSED.MALFORMED,
      async (ctx) => `${await signedByTenant(ctx)}.${randomBytes(8).toString('base64url')}`,
    ],
    [
      'a good token under another scheme (Basic)',
      REFUSED.NOT_BEARER,
      async (ctx) => ({ authorization: `Basic ${await signedByTenant(ctx)}` }),
    ],
    [
      'a good token twice in one header',
      REFUSED.NOT_BEARER,
      async (ctx) => ({ authorization: `Bearer ${await signedByTenant(ctx)} ${await signedByTenant(ctx)}` }),
    ],
    [
      'an 8 KB token, signed with the real key (over the gateway’s length limit)',
      REFUSED.TOO_LONG,
      (ctx) => signedByTenant(ctx, {}, { padding: 'x'.repeat(8 * 1024) }),
    ],

    // Critical headers.
    [
      'a crit header naming an unknown extension',
      REFUSED.CRITICAL,
      (ctx) => signedByTenant(ctx, { crit: ['urn:example:evil'], 'urn:example:evil': true }),
    ],
    [
      'an unencoded payload (b64: false, RFC 7797)',
      REFUSED.UNENCODED,
      (ctx) => signedByTenant(ctx, { crit: ['b64'], b64: false }),
    ],

    // ES256 signatures of the wrong shape.
    [
      'an ES256 signature cut to 63 bytes',
      REFUSED.SIGNATURE,
      (ctx) => withSignature(ctx, (signature) => signature.subarray(0, 63)),
    ],
    [
      'an ES256 signature with a 65th byte',
      REFUSED.SIGNATURE,
      (ctx) => withSignature(ctx, (signature) => Buffer.concat([signature, Buffer.from([0])])),
    ],
    ['an ES256 signature DER-encoded instead of raw r‖s', REFUSED.SIGNATURE, (ctx) => withSignature(ctx, derEncodedSignature)],
    [
      'an ES256 signature of zeros (r = s = 0, the “psychic signature”)',
      REFUSED.SIGNATURE,
      (ctx) => withSignature(ctx, () => Buffer.alloc(64)),
    ],
    ['an ES256 token with an empty signature', REFUSED.SIGNATURE, (ctx) => withSignature(ctx, () => Buffer.alloc(0))],
    [
      'a valid ES256 signature of another token',
      REFUSED.SIGNATURE,
      async (ctx) => {
        const [header, payload] = (await signedByTenant(ctx, {}, { roles: ['platform_admin', 'tenant_admin'] })).split('.');
        return `${header}.${payload}.${(await signedByTenant(ctx)).split('.')[2]}`;
      },
    ],

    // Algorithms the gateway does not take, with keys of the attacker's.
    ['RS256 with a stranger’s key', REFUSED.ALGORITHM, (ctx) => signedWithStrangerAlgorithm(ctx, 'RS256')],
    [
      'RS256 with a stranger’s key under the real kid',
      REFUSED.ALGORITHM,
      (ctx) => signedWithStrangerAlgorithm(ctx, 'RS256', ctx.key.kid),
    ],
    ['PS256 with a stranger’s key', REFUSED.ALGORITHM, (ctx) => signedWithStrangerAlgorithm(ctx, 'PS256')],
    ['ES384 with a stranger’s key', REFUSED.ALGORITHM, (ctx) => signedWithStrangerAlgorithm(ctx, 'ES384')],
    ['ES512 with a stranger’s key', REFUSED.ALGORITHM, (ctx) => signedWithStrangerAlgorithm(ctx, 'ES512')],
    ['EdDSA with a stranger’s key', REFUSED.ALGORITHM, (ctx) => signedWithStrangerAlgorithm(ctx, 'EdDSA')],
  ];
}

/** How often identity answered its JWKS route with 200 and with 404 (the gateway's key-set fetches). */
async function jwksFetchCounts(stack: Stack): Promise<{ found: number; notFound: number }> {
  const text = await (await fetch(`${stack.adminUrls.identity}/metrics`)).text();
  const count = (status: string) =>
    text
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('http_request_duration_seconds_count{') &&
          line.includes(`route="${JWKS_ROUTE}"`) &&
          line.includes(`status="${status}"`),
      )
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  return { found: count('200'), notFound: count('404') };
}
