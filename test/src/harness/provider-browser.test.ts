import * as client from 'openid-client';
import { startOpenIdProvider, type TestOpenIdProvider } from './openid-provider';
import { redirectTarget, signInAtProvider } from './provider-browser';

const CALLBACK = 'http://127.0.0.1:9/callback';
const CLIENT = {
  client_id: 'browser-test',
  client_secret: 'browser-test-secret',
  redirect_uris: [CALLBACK],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
};

describe('signing in at oidc-provider as a browser', () => {
  const started: TestOpenIdProvider[] = [];
  afterAll(() => Promise.all(started.map((op) => op.stop())));

  async function start(options: Parameters<typeof startOpenIdProvider>[0] = {}) {
    const op = await startOpenIdProvider({ clients: [CLIENT], ...options });
    started.push(op);
    const config = await client.discovery(
      new URL(op.url),
      CLIENT.client_id,
      undefined,
      client.ClientSecretBasic(CLIENT.client_secret),
      { execute: [client.allowInsecureRequests] },
    );
    return { op, config };
  }

  async function authorization(config: client.Configuration) {
    const checks = {
      pkceCodeVerifier: client.randomPKCECodeVerifier(),
      expectedState: client.randomState(),
      expectedNonce: client.randomNonce(),
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(checks.pkceCodeVerifier),
      code_challenge_method: 'S256',
      state: checks.expectedState,
      nonce: checks.expectedNonce,
    });
    return { url: url.href, checks };
  }

  it('logs in, consents and stops at the callback with code, state and iss', async () => {
    const { op, config } = await start();
    const { url, checks } = await authorization(config);

    const callback = new URL(await signInAtProvider(url, { login: 'alice', stopAt: CALLBACK }));

    expect(callback.origin + callback.pathname).toBe(CALLBACK);
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
    expect(callback.searchParams.get('state')).toBe(checks.expectedState);
    expect(callback.searchParams.get('iss')).toBe(op.issuer);
    expect(config.serverMetadata().authorization_response_iss_parameter_supported).toBe(true);

    const tokens = await client.authorizationCodeGrant(config, callback, { ...checks, idTokenExpected: true });
    expect(tokens.claims()).toEqual(
      expect.objectContaining({ iss: op.issuer, aud: CLIENT.client_id, sub: 'alice', nonce: checks.expectedNonce }),
    );
    // oidc-provider keeps scope claims out of the ID token when it issues an access token for userinfo.
    expect(await client.fetchUserInfo(config, tokens.access_token, 'alice')).toEqual(
      expect.objectContaining({ sub: 'alice', email: 'alice@example.test', email_verified: true }),
    );
  });

  it('puts the email in the ID token when asked to', async () => {
    const { config } = await start({ claimsInIdToken: true });
    const { url, checks } = await authorization(config);

    const callback = await signInAtProvider(url, { login: 'carol', stopAt: CALLBACK });
    const tokens = await client.authorizationCodeGrant(config, new URL(callback), { ...checks, idTokenExpected: true });

    expect(tokens.claims()).toEqual(expect.objectContaining({ sub: 'carol', email: 'carol@example.test', email_verified: true }));
  });

  it('gives the account the claims the test asks for', async () => {
    const { config } = await start({
      claimsInIdToken: true,
      claims: (sub) => ({ email: 'someone@else.test', email_verified: false, name: `Not ${sub}` }),
    });
    const { url, checks } = await authorization(config);

    const callback = await signInAtProvider(url, { login: 'bob', stopAt: CALLBACK });
    const tokens = await client.authorizationCodeGrant(config, new URL(callback), { ...checks, idTokenExpected: true });

    expect(tokens.claims()).toEqual(expect.objectContaining({ sub: 'bob', email: 'someone@else.test', email_verified: false }));
  });

  it('advertises its default endpoints', async () => {
    const { op, config } = await start();
    expect(config.serverMetadata()).toEqual(
      expect.objectContaining({ authorization_endpoint: op.authorizationEndpoint, token_endpoint: op.tokenEndpoint }),
    );
  });

  it('throws with the status and an excerpt when the provider refuses the request', async () => {
    const { op } = await start();
    const url = `${op.authorizationEndpoint}?client_id=browser-test&response_type=code&scope=openid&redirect_uri=${encodeURIComponent('http://127.0.0.1:9/elsewhere')}`;

    await expect(signInAtProvider(url, { login: 'alice', stopAt: CALLBACK })).rejects.toThrow(/answered 400: .*redirect_uri/);
  });

  it('tells where one request redirects, and throws when it does not', async () => {
    const { op, config } = await start();
    const { url } = await authorization(config);

    expect(await redirectTarget(url)).toMatch(new RegExp(`^${op.url}/interaction/`));
    await expect(redirectTarget(`${op.url}/.well-known/openid-configuration`)).rejects.toThrow(/answered 200/);
  });
});
