import * as client from 'openid-client';
import { startCraftedOpenIdProvider, type CraftedOpenIdProvider, type Misbehaviour } from './crafted-openid-provider';
import { redirectTarget } from './provider-browser';

const CALLBACK = 'http://127.0.0.1:9/callback';
const CLIENT = { clientId: 'crafted-rp', clientSecret: 'crafted-secret', redirectUris: [CALLBACK] };

describe.each(['ES256', 'RS256'] as const)('a crafted OpenID Provider signing with %s', (alg) => {
  let op: CraftedOpenIdProvider;
  let config: client.Configuration;
  beforeAll(async () => {
    op = await startCraftedOpenIdProvider({ clients: [CLIENT], sub: 'crafted-sub', alg });
    config = await client.discovery(new URL(op.url), CLIENT.clientId, undefined, client.ClientSecretBasic(CLIENT.clientSecret), {
      execute: [client.allowInsecureRequests],
    });
  });
  afterAll(() => op.stop());

  /** Authorizes (the provider redirects at once) and returns the callback URL with what to check it against. */
  async function authorize() {
    const checks = {
      pkceCodeVerifier: client.randomPKCECodeVerifier(),
      expectedState: client.randomState(),
      expectedNonce: client.randomNonce(),
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid email',
      code_challenge: await client.calculatePKCECodeChallenge(checks.pkceCodeVerifier),
      code_challenge_method: 'S256',
      state: checks.expectedState,
      nonce: checks.expectedNonce,
    });
    return { callback: new URL(await redirectTarget(url.href)), checks: { ...checks, idTokenExpected: true } };
  }

  it('signs the relying party in when it behaves', async () => {
    const { callback, checks } = await authorize();
    expect(callback.searchParams.get('iss')).toBe(op.issuer);

    const tokens = await client.authorizationCodeGrant(config, callback, checks);

    expect(tokens.claims()).toEqual(
      expect.objectContaining({
        iss: op.issuer,
        aud: CLIENT.clientId,
        sub: 'crafted-sub',
        email: 'crafted-sub@example.test',
        email_verified: true,
      }),
    );
    expect(await client.fetchUserInfo(config, tokens.access_token, 'crafted-sub')).toEqual({
      sub: 'crafted-sub',
      email: 'crafted-sub@example.test',
      email_verified: true,
    });
  });

  it('signs in the subject the test sets', async () => {
    op.setSubject('someone-else');
    const { callback, checks } = await authorize();
    op.setSubject('crafted-sub');

    expect((await client.authorizationCodeGrant(config, callback, checks)).claims()?.sub).toBe('someone-else');
  });

  it.each<[string, Misbehaviour, string]>([
    ['a nonce of another request', { kind: 'nonce-mismatch' }, '"nonce"'],
    ['another audience', { kind: 'wrong-aud' }, '"aud"'],
    ['an expiry in the past', { kind: 'expired' }, '"exp"'],
    ['alg none', { kind: 'alg-none' }, '"alg"'],
    ['another issuer', { kind: 'wrong-iss' }, '"iss"'],
    ['no sub', { kind: 'claims', claims: { sub: undefined } }, '"sub"'],
    ['a non-numeric iat', { kind: 'claims', claims: { iat: 'yesterday' } }, '"iat"'],
    [
      'another authorized party',
      { kind: 'claims', claims: { aud: [CLIENT.clientId, 'another-client'], azp: 'another-client' } },
      '"azp"',
    ],
  ])('is refused for an ID token with %s', async (_case, misbehaviour, claim) => {
    const { callback, checks } = await authorize();
    op.misbehave(misbehaviour);

    // openid-client says which claim it refused in the cause.
    await expect(client.authorizationCodeGrant(config, callback, checks)).rejects.toMatchObject({
      cause: expect.objectContaining({ message: expect.stringContaining(claim) }),
    });
    // Only the next token response misbehaves.
    const next = await authorize();
    await expect(client.authorizationCodeGrant(config, next.callback, next.checks)).resolves.toBeDefined();
  });

  // OIDC Core 3.1.3.7 lets a client skip the signature of an ID token it got from the token endpoint over TLS;
  // openid-client 6 does, unless non-repudiation checks are enabled.
  it('is refused for an ID token signed by another key only with non-repudiation checks', async () => {
    const unchecked = await authorize();
    op.misbehave({ kind: 'signed-by-other-key' });
    await expect(client.authorizationCodeGrant(config, unchecked.callback, unchecked.checks)).resolves.toBeDefined();

    const strict = await client.discovery(
      new URL(op.url),
      CLIENT.clientId,
      undefined,
      client.ClientSecretBasic(CLIENT.clientSecret),
      {
        execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks],
      },
    );
    const { callback, checks } = await authorize();
    op.misbehave({ kind: 'signed-by-other-key' });
    await expect(client.authorizationCodeGrant(strict, callback, checks)).rejects.toThrow();
    const next = await authorize();
    await expect(client.authorizationCodeGrant(strict, next.callback, next.checks)).resolves.toBeDefined();
  });

  it.each([
    ['a wrong iss', 'https://wrong-issuer.example.test'],
    ['no iss', null],
  ])('is refused for an authorization response with %s', async (_case, iss) => {
    op.misbehaveAuthorization({ iss });
    const { callback, checks } = await authorize();

    expect(callback.searchParams.get('iss')).toBe(iss);
    await expect(client.authorizationCodeGrant(config, callback, checks)).rejects.toThrow();
  });

  it('refuses a wrong PKCE verifier and a reused code with invalid_grant', async () => {
    const { callback, checks } = await authorize();
    await expect(
      client.authorizationCodeGrant(config, callback, { ...checks, pkceCodeVerifier: client.randomPKCECodeVerifier() }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(client.authorizationCodeGrant(config, callback, checks)).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});

describe('a crafted OpenID Provider advertising another issuer', () => {
  it('is refused at discovery', async () => {
    const op = await startCraftedOpenIdProvider({ clients: [CLIENT], issuer: 'https://op.example.test' });
    try {
      expect(op.issuer).toBe('https://op.example.test');
      await expect(
        client.discovery(new URL(op.url), CLIENT.clientId, CLIENT.clientSecret, undefined, {
          execute: [client.allowInsecureRequests],
        }),
      ).rejects.toThrow();
    } finally {
      await op.stop();
    }
  });
});
