import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { Page } from 'playwright-core';
import { accessibilityViolations, formatViolations, launchBrowser, saveScreenshot, type TestBrowser } from './harness/browser';
import { hostedPages, postForm } from './harness/hosted-pages';
import { MovableClock } from './harness/movable-clock';
import { oauthClientsApi } from './harness/oauth-clients-api';
import { useStack } from './harness/stack';
import { ok, tenantApi, tenantWithPeople, type TenantFixture } from './harness/tenant-api';

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * RFC 8628 for a daemon or TV client of a tenant: the device asks for a code, polls the
 * token endpoint while the user approves it on the hosted device page in a real Chromium,
 * and gets the identity core's tokens; polling early, too fast, after a denial or after the
 * code's life gets the standard errors.
 */
describe('device authorization grant', () => {
  const clock = new MovableClock();
  const env = useStack({ identityClock: clock });
  let acme: TenantFixture;
  let issuer: string;
  let deviceClientId: string;
  let config: client.Configuration;
  let browser: TestBrowser;
  const { appContext, signIn } = hostedPages(
    () => env.stack,
    () => browser,
    'https://unused.e2e.example',
  );

  beforeAll(async () => {
    acme = await tenantWithPeople(env, tenantApi(env));
    issuer = `${env.stack.publicUrl}/t/${acme.tenant.slug}`;
    const registered = await oauthClientsApi(env.stack).registered(acme.admin.token, {
      tenantId: acme.tenant.id,
      name: 'Acme TV',
      kind: 'DEVICE',
      firstParty: true,
      scopes: ['openid', 'profile', 'offline_access'],
    });
    deviceClientId = registered.client.id;
    config = await client.discovery(new URL(issuer), deviceClientId, undefined, client.None(), {
      execute: [client.allowInsecureRequests],
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  const poll = (deviceCode: string) =>
    postForm(`${issuer}/token`, { grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, client_id: deviceClientId });
  const me = (token: string) => env.stack.graphql<{ me: { id: string } }>('{ me { id } }', {}, token);
  const email = () => `device-${randomBytes(4).toString('hex')}@e2e.example`;

  async function expectAccessible(page: Page): Promise<void> {
    expect(await accessibilityViolations(page).then(formatViolations)).toBe(formatViolations([]));
  }

  it('announces the device authorization endpoint in discovery', () => {
    expect(config.serverMetadata()).toMatchObject({
      device_authorization_endpoint: `${issuer}/device/auth`,
      grant_types_supported: expect.arrayContaining([DEVICE_CODE_GRANT]),
    });
  });

  it('signs a device in: pending, slow_down, approval on the device page in Chromium, tokens that work at the gateway', async () => {
    const authorization = await client.initiateDeviceAuthorization(config, { scope: 'openid profile offline_access' });
    env.stack.handledSecrets.add(authorization.device_code);
    expect(authorization).toMatchObject({
      verification_uri: `${issuer}/device`,
      user_code: expect.stringMatching(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/),
      interval: 5,
      expires_in: 600,
    });

    expect(await poll(authorization.device_code)).toMatchObject({ status: 400, json: { error: 'authorization_pending' } });
    expect(await poll(authorization.device_code)).toMatchObject({ status: 400, json: { error: 'slow_down' } });

    const { context } = await appContext();
    const page = await context.newPage();
    await page.goto(authorization.verification_uri);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Connect a device');
    await expectAccessible(page);
    // Typed as a person types it: lower case, the dash left out.
    await page.getByLabel('Code from your device').fill(authorization.user_code.replace('-', '').toLowerCase());
    await saveScreenshot(page, 'device-en-code');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.locator('#user-code').textContent()).resolves.toBe(authorization.user_code);
    await expect(page.locator('main').textContent()).resolves.toContain('Acme TV wants to sign in');
    await expectAccessible(page);
    await saveScreenshot(page, 'device-en-confirm');
    await page.getByRole('button', { name: 'Allow' }).click();
    await signIn(page, email());
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Device connected');
    await expectAccessible(page);
    await saveScreenshot(page, 'device-en-done');
    await context.close();

    const tokens = await client.pollDeviceAuthorizationGrant(config, authorization);
    env.stack.handledSecrets.add(tokens.access_token);
    env.stack.handledSecrets.add(tokens.refresh_token!);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: issuer, aud: deviceClientId });
    expect(ok(await me(tokens.access_token)).me.id).toBe(claims.sub);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    env.stack.handledSecrets.add(refreshed.refresh_token!);
    expect(ok(await me(refreshed.access_token)).me.id).toBe(claims.sub);

    // Redeemed once: the same device code again is refused, and nothing more is issued.
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    expect(await poll(authorization.device_code)).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('in Norwegian: a wrong code is asked again in plain words; denying the device answers its poll with access_denied', async () => {
    const authorization = await client.initiateDeviceAuthorization(config, { scope: 'openid profile' });
    env.stack.handledSecrets.add(authorization.device_code);
    const { context } = await appContext('nb-NO');
    const page = await context.newPage();
    await page.goto(`${issuer}/device`);
    await page.getByLabel('Kode fra enheten').fill('BBBB-BBBB');
    await page.getByRole('button', { name: 'Fortsett' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Koden er feil');
    await expectAccessible(page);

    // The complete verification URI carries the code: the page shows it filled in, and nothing is submitted unasked.
    await page.goto(authorization.verification_uri_complete!);
    await expect(page.getByLabel('Kode fra enheten').inputValue()).resolves.toBe(authorization.user_code);
    await expectAccessible(page);
    await saveScreenshot(page, 'device-nb-code');
    await page.getByRole('button', { name: 'Fortsett' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Er dette enheten din?');
    await expectAccessible(page);
    await saveScreenshot(page, 'device-nb-confirm');
    await page.getByRole('button', { name: 'Avslå' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Enheten ble ikke koblet til');
    await context.close();

    expect(await poll(authorization.device_code)).toMatchObject({ status: 400, json: { error: 'access_denied' } });
  });

  it('refuses a public web client the device grant and an unknown device code', async () => {
    const web = await oauthClientsApi(env.stack).registered(acme.admin.token, {
      tenantId: acme.tenant.id,
      name: 'Acme Web',
      kind: 'PUBLIC',
      redirectUris: ['https://app.e2e.example/callback'],
      scopes: ['openid'],
    });
    const asWeb = await postForm(`${issuer}/device/auth`, { client_id: web.client.id, scope: 'openid' });
    expect(asWeb).toMatchObject({ status: 400, json: { error: 'unauthorized_client' } });
    expect(await poll(randomBytes(32).toString('base64url'))).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  // Last: it moves the identity subgraph's clock past the code's life.
  it('answers a poll after the device code expired with expired_token, and issues nothing', async () => {
    const authorization = await client.initiateDeviceAuthorization(config, { scope: 'openid' });
    env.stack.handledSecrets.add(authorization.device_code);
    clock.advance(authorization.expires_in * 1000 + 1_000);
    expect(await poll(authorization.device_code)).toMatchObject({ status: 400, json: { error: 'expired_token' } });
  });
});
