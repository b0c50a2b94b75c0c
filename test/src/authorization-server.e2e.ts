import { randomBytes } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import * as client from 'openid-client';
import { authorizationRequest, redeemCode } from './harness/authorization-request';
import { accessibilityViolations, formatViolations, launchBrowser, saveScreenshot, type TestBrowser } from './harness/browser';
import { eventually } from './harness/eventually';
import { hostedPages, postForm } from './harness/hosted-pages';
import { oauthClientsApi } from './harness/oauth-clients-api';
import { sessionsApi } from './harness/sessions-api';
import { signInApi } from './harness/sign-in';
import { useStack } from './harness/stack';
import { ok, tenantApi, tenantWithPeople, type TenantFixture } from './harness/tenant-api';

const APP = 'https://app.e2e.example';
const REDIRECT_URI = `${APP}/callback`;
const SCOPE = 'openid profile email offline_access';

/**
 * Messngr's own authorization server for a tenant, used as a standard relying party uses it
 * (openid-client), with the user signing in on the hosted pages in a real Chromium: the code
 * flow with PKCE, the identity core's sessions and refresh tokens behind it, and the
 * refusals RFC 6749, RFC 7636 and RFC 9700 ask for.
 */
describe('authorization server', () => {
  const env = useStack();
  let acme: TenantFixture;
  let issuer: string;
  let clientId: string;
  let otherClientId: string;
  let config: client.Configuration;
  /** A third party's app: its users are asked for consent. */
  let partnerConfig: client.Configuration;
  let browser: TestBrowser;

  /** A public web client of the tenant, as its administrator registers it. */
  const register = (name: string, firstParty = true) =>
    oauthClientsApi(env.stack).registered(acme.admin.token, {
      tenantId: acme.tenant.id,
      name,
      kind: 'PUBLIC',
      firstParty,
      redirectUris: [REDIRECT_URI],
      scopes: ['openid', 'profile', 'email', 'offline_access'],
    });
  /** openid-client's view of one of the tenant's clients, from the issuer's discovery document. */
  const discover = (id: string) =>
    client.discovery(new URL(issuer), id, undefined, client.None(), { execute: [client.allowInsecureRequests] });

  beforeAll(async () => {
    acme = await tenantWithPeople(env, tenantApi(env));
    issuer = `${env.stack.publicUrl}/t/${acme.tenant.slug}`;
    clientId = (await register('Acme Web')).client.id;
    otherClientId = (await register('Acme Other')).client.id;
    config = await discover(clientId);
    partnerConfig = await discover((await register('Partner Chat', false)).client.id);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  const {
    appContext,
    open,
    signIn: signInOnPages,
    callbackOf,
  } = hostedPages(
    () => env.stack,
    () => browser,
    APP,
  );

  const email = () => `oauth-${randomBytes(4).toString('hex')}@e2e.example`;

  const tokenRequest = (body: Record<string, string>) => postForm(`${issuer}/token`, body);

  const me = (token: string) => env.stack.graphql<{ me: { id: string } }>('{ me { id } }', {}, token);

  it('publishes discovery with the endpoints, S256 only and iss in the authorization response', async () => {
    const metadata = config.serverMetadata();
    expect(metadata).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      revocation_endpoint: `${issuer}/revoke`,
      end_session_endpoint: `${issuer}/logout`,
      jwks_uri: `${issuer}/jwks.json`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
  });

  it('signs a user in with the code flow and PKCE: ID token and userinfo validated, refresh rotated, me at the gateway', async () => {
    const { context, callbacks } = await appContext();
    const page = await context.newPage();
    const request = authorizationRequest(config, REDIRECT_URI, SCOPE);
    await open(page, request.url);
    expect(await accessibilityViolations(page).then(formatViolations)).toBe(formatViolations([]));
    const address = email();
    await signInOnPages(page, address, 'authorization-en');
    const callback = await callbackOf(callbacks);
    expect(callback.searchParams.get('iss')).toBe(issuer);

    const tokens = await redeemCode(config, callback, request);
    env.stack.handledSecrets.add(tokens.access_token);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: issuer, aud: clientId, nonce: request.nonce });
    expect(claims.sub).toMatch(/^acc_/);
    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info).toMatchObject({ sub: claims.sub, email: address, email_verified: true });

    expect(ok(await me(tokens.access_token)).me.id).toBe(claims.sub);
    expect(tokens.refresh_token).toBeDefined();
    env.stack.handledSecrets.add(tokens.refresh_token!);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    env.stack.handledSecrets.add(refreshed.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(ok(await me(refreshed.access_token)).me.id).toBe(claims.sub);
    // The session of this sign-in, the same kind as every other door's, with the identity used on the pages.
    const sessions = await env.stack.graphql<{ me: { sessions: Record<string, unknown>[] } }>(
      '{ me { sessions { current status identityKind identityDisplayValue } } }',
      {},
      refreshed.access_token,
    );
    expect(ok(sessions).me.sessions).toEqual([
      { current: true, status: 'ACTIVE', identityKind: 'EMAIL', identityDisplayValue: expect.stringContaining('@e2e.example') },
    ]);
    await context.close();
  });

  it('signs in without a prompt within the browser session, and detects refresh-token reuse through the token endpoint', async () => {
    const { context, callbacks } = await appContext();
    const page = await context.newPage();
    await open(page, authorizationRequest(config, REDIRECT_URI, SCOPE).url);
    await signInOnPages(page, email());
    await callbackOf(callbacks);

    const second = authorizationRequest(config, REDIRECT_URI, SCOPE);
    callbacks.length = 0;
    await open(page, second.url);
    const tokens = await redeemCode(config, await callbackOf(callbacks), second);
    const first = tokens.refresh_token!;
    const next = (await client.refreshTokenGrant(config, first)).refresh_token!;
    const latest = await client.refreshTokenGrant(config, next);
    for (const secret of [first, next, latest.refresh_token, latest.access_token])
      if (secret) env.stack.handledSecrets.add(secret);
    // The first token, two rotations back, comes again: the whole family goes.
    const reused = await tokenRequest({ grant_type: 'refresh_token', refresh_token: first, client_id: clientId });
    expect(reused).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    const after = await tokenRequest({ grant_type: 'refresh_token', refresh_token: latest.refresh_token!, client_id: clientId });
    expect(after).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect((await me(latest.access_token)).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    await context.close();
  });

  it('refuses authorization requests without PKCE, with plain PKCE, or with an altered redirect URI', async () => {
    const authorize = (query: Record<string, string>) =>
      fetch(
        `${issuer}/authorize?${new URLSearchParams({ client_id: clientId, response_type: 'code', scope: 'openid', state: 's1', ...query })}`,
        {
          redirect: 'manual',
        },
      );
    const withoutPkce = await authorize({ redirect_uri: REDIRECT_URI });
    const location = new URL(withoutPkce.headers.get('location') ?? 'about:blank');
    expect(withoutPkce.status).toBe(303);
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('code')).toBeNull();

    const plain = await authorize({ redirect_uri: REDIRECT_URI, code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' });
    expect(new URL(plain.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');

    for (const redirect of [`${REDIRECT_URI}/other`, `${APP}/callback?x=1`, 'https://attacker.example/callback']) {
      const altered = await authorize({ redirect_uri: redirect, code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' });
      expect(altered.status).toBe(400);
      expect(altered.headers.get('location')).toBeNull();
    }
  });

  it('refuses prompt=none without a session with login_required', async () => {
    const request = authorizationRequest(config, REDIRECT_URI, SCOPE, { prompt: 'none' });
    const response = await fetch(request.url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('login_required');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('refuses a wrong verifier, another client, and a replayed code; the replay revokes the first tokens', async () => {
    const { context, callbacks } = await appContext();
    const page = await context.newPage();
    const codeOf = async () => {
      const request = authorizationRequest(config, REDIRECT_URI, SCOPE);
      callbacks.length = 0;
      await open(page, request.url);
      if (!callbacks.length) await signInOnPages(page, address);
      const callback = await callbackOf(callbacks);
      return { code: callback.searchParams.get('code')!, verifier: request.verifier };
    };
    const address = email();
    const exchange = (code: string, verifier: string, client = clientId) =>
      tokenRequest({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
        client_id: client,
      });

    const wrongVerifier = await codeOf();
    expect(await exchange(wrongVerifier.code, client.randomPKCECodeVerifier())).toMatchObject({
      status: 400,
      json: { error: 'invalid_grant' },
    });

    const otherClient = await codeOf();
    expect(await exchange(otherClient.code, otherClient.verifier, otherClientId)).toMatchObject({
      status: 400,
      json: { error: 'invalid_grant' },
    });

    const replayed = await codeOf();
    const first = await exchange(replayed.code, replayed.verifier);
    expect(first.status).toBe(200);
    const accessToken = String(first.json['access_token']);
    env.stack.handledSecrets.add(accessToken);
    env.stack.handledSecrets.add(String(first.json['refresh_token']));
    expect(ok(await me(accessToken)).me.id).toMatch(/^acc_/);
    expect(await exchange(replayed.code, replayed.verifier)).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    await eventually(async () => expect((await me(accessToken)).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED'));
    const refresh = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: String(first.json['refresh_token']),
      client_id: clientId,
    });
    expect(refresh).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    await context.close();
  });

  it('ends the session at the gateway on the next request when its client revokes the refresh token (RFC 7009)', async () => {
    const { context, callbacks } = await appContext();
    const page = await context.newPage();
    const request = authorizationRequest(config, REDIRECT_URI, SCOPE);
    await open(page, request.url);
    await signInOnPages(page, email());
    const tokens = await redeemCode(config, await callbackOf(callbacks), request);
    env.stack.handledSecrets.add(tokens.access_token);
    env.stack.handledSecrets.add(tokens.refresh_token!);
    expect(ok(await me(tokens.access_token)).me.id).toBe(tokens.claims()!.sub);
    await client.tokenRevocation(config, tokens.refresh_token!);
    expect((await me(tokens.access_token)).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    await context.close();
  });

  it('ends the sessions signed in to a client when it is removed: its refresh token dies at every door, other sessions live on', async () => {
    const kiosk = await register('Acme Kiosk');
    const kioskConfig = await discover(kiosk.client.id);
    const address = email();
    const { context, callbacks } = await appContext();
    const page = await context.newPage();
    const request = authorizationRequest(kioskConfig, REDIRECT_URI, SCOPE);
    await open(page, request.url);
    await signInOnPages(page, address);
    const tokens = await redeemCode(kioskConfig, await callbackOf(callbacks), request);
    env.stack.handledSecrets.add(tokens.access_token);
    env.stack.handledSecrets.add(tokens.refresh_token!);
    await context.close();
    // The same person, also signed in to the tenant's own app through GraphQL.
    const own = await signInApi(env.stack).signIn(acme.tenant.id, { email: address });
    expect(ok(await me(tokens.access_token)).me.id).toBe(own.account.id);

    ok(await oauthClientsApi(env.stack).remove(acme.admin.token, { tenantId: acme.tenant.id, clientId: kiosk.client.id }));
    expect((await me(tokens.access_token)).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const refreshed = await signInApi(env.stack).refreshSession(tokens.refresh_token!);
    expect(refreshed.errors?.[0]?.extensions?.['code']).toBe('INVALID_REFRESH_TOKEN');
    expect(refreshed.data?.refreshSession ?? null).toBeNull();
    const sessions = ok(await sessionsApi(env.stack).mySessions(own.accessToken, true)).me!.sessions;
    const kioskSession = sessions.find((session) => session.id === decodeJwt(tokens.access_token)['sid']);
    expect(kioskSession).toMatchObject({ status: 'REVOKED', endReason: 'CLIENT_REMOVED' });
    expect(sessions.find((session) => session.current)).toMatchObject({ id: own.session.id, status: 'ACTIVE' });
  });

  it('shows the pages in Norwegian to a browser that asks for it, accessible there too', async () => {
    const { context } = await appContext('nb-NO');
    const page = await context.newPage();
    await open(page, authorizationRequest(config, REDIRECT_URI, SCOPE).url);
    expect(await page.locator('html').getAttribute('lang')).toBe('nb');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Logg inn');
    expect(await accessibilityViolations(page).then(formatViolations)).toBe(formatViolations([]));
    await page.getByLabel(/e-post/i).fill(email());
    await saveScreenshot(page, 'authorization-nb-sign-in');
    await page.getByRole('button', { name: /fortsett/i }).click();
    await page.waitForSelector('input[name="code"]');
    expect(await accessibilityViolations(page).then(formatViolations)).toBe(formatViolations([]));
    await saveScreenshot(page, 'authorization-nb-code');
    await context.close();
  });

  it('asks for consent for a third-party client: scopes in plain words, allowed once within the session', async () => {
    const { context, callbacks } = await appContext();
    const page = await context.newPage();
    const request = authorizationRequest(partnerConfig, REDIRECT_URI, SCOPE);
    await open(page, request.url);
    await signInOnPages(page, email());
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Allow Partner Chat?');
    const asked = await page.locator('ul.scopes li').allTextContents();
    expect(asked).toEqual(['Know who you are', 'See your name, handle, language and time zone', 'See your email address']);
    expect(callbacks).toEqual([]);
    expect(await accessibilityViolations(page).then(formatViolations)).toBe(formatViolations([]));
    await saveScreenshot(page, 'authorization-en-consent');
    await page.getByRole('button', { name: 'Allow' }).click();
    const tokens = await redeemCode(partnerConfig, await callbackOf(callbacks), request);
    env.stack.handledSecrets.add(tokens.access_token);
    expect(ok(await me(tokens.access_token)).me.id).toBe(tokens.claims()!.sub);

    // Consented: the next request within the browser session goes straight back to the app.
    callbacks.length = 0;
    await open(page, authorizationRequest(partnerConfig, REDIRECT_URI, SCOPE).url);
    expect((await callbackOf(callbacks)).searchParams.get('code')).toBeTruthy();
    await context.close();
  });

  it('in Norwegian: denying a third-party client sends access_denied back to it and issues nothing', async () => {
    const { context, callbacks } = await appContext('nb-NO');
    const page = await context.newPage();
    await open(page, authorizationRequest(partnerConfig, REDIRECT_URI, SCOPE).url);
    await signInOnPages(page, email());
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Gi tilgang til Partner Chat?');
    expect(await accessibilityViolations(page).then(formatViolations)).toBe(formatViolations([]));
    await saveScreenshot(page, 'authorization-nb-consent');
    await page.getByRole('button', { name: 'Avslå' }).click();
    const callback = await callbackOf(callbacks);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('code')).toBeNull();
    await context.close();
  });

  it('gives a confidential partner client a token for itself (client credentials), refused at the gateway once the client is removed', async () => {
    const clients = oauthClientsApi(env.stack);
    const registered = await clients.registered(acme.admin.token, {
      tenantId: acme.tenant.id,
      name: 'Partner Sync',
      kind: 'CONFIDENTIAL',
      grantTypes: ['CLIENT_CREDENTIALS'],
      scopes: ['profile'],
    });
    const partnerId = registered.client.id;
    const secret = registered.clientSecret!;
    env.stack.handledSecrets.add(secret);
    const partner = await client.discovery(new URL(issuer), partnerId, undefined, client.ClientSecretBasic(secret), {
      execute: [client.allowInsecureRequests],
    });
    const tokens = await client.clientCredentialsGrant(partner, { scope: 'profile' });
    env.stack.handledSecrets.add(tokens.access_token);
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ iss: issuer, sub: partnerId, client_id: partnerId, tid: acme.tenant.id, scope: 'profile' });
    expect(claims['sid']).toBeUndefined();

    // The gateway takes it as the client's own call: no account behind it, so there is no `me`.
    const typename = (token: string) => env.stack.graphql<{ __typename: string }>('{ __typename }', {}, token);
    expect(await typename(tokens.access_token)).toMatchObject({ status: 200, data: { __typename: 'Query' } });
    expect(await me(tokens.access_token)).toMatchObject({ status: 200, data: { me: null } });
    expect(await typename('not-a-token')).toMatchObject({ status: 401 });

    // Asking for a user's scopes, or with the wrong secret, gets nothing.
    const basic = (password: string) => ({
      authorization: `Basic ${Buffer.from(`${partnerId}:${password}`).toString('base64')}`,
    });
    expect(await postForm(`${issuer}/token`, { grant_type: 'client_credentials', scope: 'openid' }, basic(secret))).toMatchObject(
      {
        status: 400,
        json: { error: 'invalid_scope' },
      },
    );
    const unscoped = await postForm(`${issuer}/token`, { grant_type: 'client_credentials' }, basic(secret));
    expect(unscoped).toMatchObject({ status: 200, json: { token_type: 'Bearer', expires_in: expect.any(Number) } });
    expect(unscoped.json).not.toHaveProperty('scope');
    expect(unscoped.json).not.toHaveProperty('refresh_token');
    env.stack.handledSecrets.add(String(unscoped.json['access_token']));
    expect(await postForm(`${issuer}/token`, { grant_type: 'client_credentials' }, basic(`${secret}x`))).toMatchObject({
      status: 401,
      json: { error: 'invalid_client' },
    });

    ok(await clients.remove(acme.admin.token, { tenantId: acme.tenant.id, clientId: partnerId }));
    expect(await typename(tokens.access_token)).toMatchObject({ status: 401 });
  });

  it('refuses client credentials to a public client, issuing nothing', async () => {
    const response = await postForm(`${issuer}/token`, { grant_type: 'client_credentials', client_id: clientId });
    expect(response).toMatchObject({ status: 400, json: { error: 'unauthorized_client' } });
    expect(response.json['access_token']).toBeUndefined();
  });
});
