import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import { authorizationRequest, redeemCode } from './harness/authorization-request';
import { accessibilityViolations, formatViolations, launchBrowser, saveScreenshot, type TestBrowser } from './harness/browser';
import { eventually } from './harness/eventually';
import { hostedPages } from './harness/hosted-pages';
import { sendHtml, startLoopbackServer, type LoopbackServer } from './harness/loopback-server';
import { startOpenIdProvider, type TestOpenIdProvider } from './harness/openid-provider';
import { freshLogin, oidcProviderInput, opClient } from './harness/provider-sign-in';
import { oauthClientsApi, type RegisterOAuthClientInput } from './harness/oauth-clients-api';
import { useStack } from './harness/stack';
import { ok, tenantApi, tenantWithPeople, type TenantFixture } from './harness/tenant-api';

const APP = 'https://app.e2e.example';
const WEB_REDIRECT = `${APP}/callback`;
const SIGNED_OUT = `${APP}/signed-out`;
const SCOPE = 'openid profile offline_access';
const SESSION_TTL_SECONDS = 3600;

/**
 * The tenant's browser session at its authorization server: a native app signing in through
 * a loopback redirect (RFC 8252), signing in again within the session, `prompt=login` and
 * `max_age` asking again, and RP-initiated logout ending the sessions its grants began, at the
 * gateway on the next request.
 */
describe('authorization server: native apps and the browser session', () => {
  const env = useStack();
  let acme: TenantFixture;
  let issuer: string;
  let web: client.Configuration;
  let desktop: client.Configuration;
  let browser: TestBrowser;
  /** The native app's loopback listener, on a port chosen at run time (not the registered URI's). */
  let loopback: LoopbackServer;
  /** The tenant's upstream OpenID Provider, offered on the sign-in page. */
  let upstream: TestOpenIdProvider;
  const loopbackHits: URL[] = [];
  const { appContext, open, signIn, callbackOf } = hostedPages(
    () => env.stack,
    () => browser,
    APP,
  );

  beforeAll(async () => {
    acme = await tenantWithPeople(env, tenantApi(env), {
      session: { cookieName: 'fjord_sid', sessionTtlSeconds: SESSION_TTL_SECONDS },
    });
    issuer = `${env.stack.publicUrl}/t/${acme.tenant.slug}`;
    const register = async (input: Omit<RegisterOAuthClientInput, 'tenantId'>) => {
      const registered = await oauthClientsApi(env.stack).registered(acme.admin.token, { tenantId: acme.tenant.id, ...input });
      return client.discovery(new URL(issuer), registered.client.id, undefined, client.None(), {
        execute: [client.allowInsecureRequests],
      });
    };
    web = await register({
      name: 'Acme Web',
      kind: 'PUBLIC',
      firstParty: true,
      redirectUris: [WEB_REDIRECT],
      postLogoutRedirectUris: [SIGNED_OUT],
      scopes: ['openid', 'profile', 'email', 'offline_access'],
    });
    desktop = await register({
      name: 'Acme Desktop',
      kind: 'PUBLIC',
      applicationType: 'NATIVE',
      firstParty: true,
      redirectUris: ['http://127.0.0.1/callback'],
      scopes: ['openid', 'profile', 'offline_access'],
    });
    loopback = await startLoopbackServer(async (request, response) => {
      const hit = new URL(request.url ?? '/', loopback.url);
      // Only the redirect counts: the browser also asks the callback page's origin for /favicon.ico.
      if (hit.pathname !== '/callback') return sendHtml(response, 404, 'Not found.');
      loopbackHits.push(hit);
      sendHtml(response, 200, 'Signed in. You can close this window.');
    });
    upstream = await startOpenIdProvider({ clients: [opClient(`${issuer}/callback`)] });
    ok(await tenantApi(env).registerProvider(oidcProviderInput(acme.tenant.id, upstream.issuer, 'Acme SSO')));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await loopback?.stop();
    await upstream?.stop();
  });

  const email = () => `session-${randomBytes(4).toString('hex')}@e2e.example`;
  const me = (token: string) => env.stack.graphql<{ me: { id: string } }>('{ me { id } }', {}, token);

  it('signs a native app in through its loopback redirect on any port; within the session it asks the user to confirm', async () => {
    const { context } = await appContext();
    const page = await context.newPage();
    const redirectUri = `${loopback.url}/callback`;
    const request = authorizationRequest(desktop, redirectUri, SCOPE);
    await open(page, request.url);
    await signIn(page, email());
    await page.waitForURL(`${loopback.url}/**`);
    const callback = loopbackHits.at(-1)!;
    expect(callback.searchParams.get('iss')).toBe(issuer);
    const tokens = await redeemCode(desktop, callback, request);
    env.stack.handledSecrets.add(tokens.access_token);
    env.stack.handledSecrets.add(tokens.refresh_token!);
    expect(ok(await me(tokens.access_token)).me.id).toBe(tokens.claims()!.sub);

    // Another app could claim a loopback port: a code from the browser session alone waits for the user (RFC 8252 §8.6).
    const again = authorizationRequest(desktop, redirectUri, SCOPE);
    const hits = loopbackHits.length;
    await open(page, again.url);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Allow Acme Desktop?');
    await expect(page.locator('main').textContent()).resolves.toContain('Continue to Acme Desktop?');
    expect(loopbackHits.length).toBe(hits);
    expect(await accessibilityViolations(page).then(formatViolations)).toBe(formatViolations([]));
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${loopback.url}/**`);
    const second = await redeemCode(desktop, loopbackHits.at(-1)!, again);
    env.stack.handledSecrets.add(second.access_token);
    expect(second.claims()!.sub).toBe(tokens.claims()!.sub);
    await context.close();
  });

  it('keeps the browser session in a cookie named and timed by the tenant, holding nothing but a handle; prompt=login and max_age ask again', async () => {
    const { context, callbacks } = await appContext();
    const page = await context.newPage();
    await open(page, authorizationRequest(web, WEB_REDIRECT, SCOPE).url);
    const address = email();
    await signIn(page, address);
    await callbackOf(callbacks);
    const signedInAt = Date.now() / 1000;
    const cookie = (await context.cookies(issuer)).find((candidate) => candidate.name === 'fjord_sid_sso');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: new URL(issuer).pathname });
    expect(Math.abs(cookie!.expires - (signedInAt + SESSION_TTL_SECONDS))).toBeLessThan(60);
    env.stack.handledSecrets.add(cookie!.value);
    for (const personal of [address, address.split('@')[0]!, 'acc_']) expect(cookie!.value).not.toContain(personal);

    for (const extra of [{ prompt: 'login' }, { max_age: '0' }] as Record<string, string>[]) {
      callbacks.length = 0;
      // A new tab of the same browser (its cookies): the last one is still failing to load the app's callback.
      const tab = await context.newPage();
      await open(tab, authorizationRequest(web, WEB_REDIRECT, SCOPE, extra).url);
      await tab.waitForSelector('input[name="identifier"]');
      expect(callbacks).toEqual([]);
    }
    await context.close();
  });

  it('ends the sessions of the browser session at sign-out (RP-initiated logout): the gateway refuses their tokens on the next request', async () => {
    const { context, callbacks } = await appContext();
    const page = await context.newPage();
    const request = authorizationRequest(web, WEB_REDIRECT, SCOPE);
    await open(page, request.url);
    await signIn(page, email());
    const tokens = await redeemCode(web, await callbackOf(callbacks), request);
    env.stack.handledSecrets.add(tokens.access_token);
    env.stack.handledSecrets.add(tokens.refresh_token!);
    expect(ok(await me(tokens.access_token)).me.id).toBe(tokens.claims()!.sub);

    const state = client.randomState();
    const logout = client.buildEndSessionUrl(web, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: SIGNED_OUT,
      state,
    });
    callbacks.length = 0;
    const tab = await context.newPage();
    await open(tab, logout);
    await expect(tab.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Sign out of');
    expect(await accessibilityViolations(tab).then(formatViolations)).toBe(formatViolations([]));
    await saveScreenshot(tab, 'authorization-en-sign-out');
    await tab.getByRole('button', { name: 'Sign out' }).click();
    const back = await callbackOf(callbacks);
    expect(back.origin + back.pathname).toBe(SIGNED_OUT);
    expect(back.searchParams.get('state')).toBe(state);

    expect((await me(tokens.access_token)).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    await expect(client.refreshTokenGrant(web, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // The browser session is gone too: the next authorization request asks who is signing in.
    callbacks.length = 0;
    const after = await context.newPage();
    await open(after, authorizationRequest(web, WEB_REDIRECT, SCOPE).url);
    await after.waitForSelector('input[name="identifier"]');
    expect(callbacks).toEqual([]);
    await context.close();
  });

  it('continues with the tenant’s upstream provider from the sign-in page: the provider’s sign-in, back to the app with a code', async () => {
    const { context, callbacks } = await appContext('nb-NO');
    const page = await context.newPage();
    const request = authorizationRequest(web, WEB_REDIRECT, SCOPE);
    // The identity subgraph learns of the provider from the tenant subgraph's events.
    await eventually(async () => {
      await open(page, request.url);
      await page.getByRole('link', { name: 'Fortsett med Acme SSO' }).waitFor({ timeout: 500 });
    });
    expect(await accessibilityViolations(page).then(formatViolations)).toBe(formatViolations([]));
    await saveScreenshot(page, 'authorization-nb-sign-in-providers');
    await page.getByRole('link', { name: 'Fortsett med Acme SSO' }).click();

    // The upstream provider's own (development) pages: any login name, then its consent.
    await page.waitForURL(`${upstream.url}/**`);
    const login = freshLogin('hosted');
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any-password');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click();
    const callback = await callbackOf(callbacks);
    const tokens = await redeemCode(web, callback, request);
    env.stack.handledSecrets.add(tokens.access_token);
    env.stack.handledSecrets.add(tokens.refresh_token!);
    const sessions = await env.stack.graphql<{ me: { sessions: { identityKind: string; identityDisplayValue: string }[] } }>(
      '{ me { sessions { identityKind identityDisplayValue } } }',
      {},
      tokens.access_token,
    );
    expect(ok(sessions).me.sessions).toEqual([{ identityKind: 'OIDC', identityDisplayValue: login }]);
    await context.close();
  });

  it('refuses a return from the provider that this browser’s sign-in did not start', async () => {
    const { context } = await appContext();
    const page = await context.newPage();
    await open(page, authorizationRequest(web, WEB_REDIRECT, SCOPE).url);
    const form = page.locator('form[action$="/identifier"]');
    const interaction = (await form.getAttribute('action'))!.replace(/\/identifier$/, '');
    await page.goto(`${env.stack.publicUrl}${interaction}/provider-return?flow=pfl_forged&outcome=SUCCEEDED`);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('This sign-in has expired');
    // And a start link without the page's CSRF token starts nothing.
    await page.goto(`${env.stack.publicUrl}${interaction}/provider?id=any`);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('This sign-in has expired');
    await context.close();
  });
});
