import { randomBytes } from 'node:crypto';
import {
  OPENAPI_DOCUMENT_PATH,
  REST_API_PREFIXES,
  restConfirmedIdentityRemovalSchema,
  restDeviceListSchema,
  restErrorSchema,
  restIdentityListSchema,
  restRequestedIdentityRemovalSchema,
  restRevokedDeviceSchema,
  restStartedIdentityLinkSchema,
  restVerifiedIdentityLinkSchema,
} from '@messngr/contracts';
import { eventually } from './harness/eventually';
import { startOpenIdProvider, type TestOpenIdProvider } from './harness/openid-provider';
import { signInAtProvider } from './harness/provider-browser';
import { freshLogin, oidcProviderInput, opClient, providerSignInApi, RETURN_TO } from './harness/provider-sign-in';
import { selfServiceApi, type SelfServiceApi } from './harness/self-service-api';
import { sessionsApi } from './harness/sessions-api';
import { signInApi, type SignedIn, type SignInApi } from './harness/sign-in';
import { useStack } from './harness/stack';
import { ok } from './harness/tenant-api';

interface RestAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

function email(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}@example.test`;
}

/**
 * The REST API beside GraphQL on the real stack, through the gateway: the caller's identities
 * (list, link by code and by provider, remove in two steps) and devices (list, revoke), guarded
 * by the same access token as GraphQL, answering what GraphQL answers, described by the
 * OpenAPI document the gateway serves.
 */
describe('REST beside GraphQL', () => {
  const env = useStack();
  let signIn: SignInApi;
  let self: SelfServiceApi;
  let tenantId: string;
  let tenantSlug: string;
  let callback: string;
  let op: TestOpenIdProvider;
  let providerId: string;
  /** Signed in on a phone: the device "Pixel 8" is bound to this session. */
  let kari: SignedIn;
  let kariAddress: string;
  /** Every answer of every test, to check none was a server error. */
  const answers: { request: string; status: number }[] = [];

  beforeAll(async () => {
    const browser = providerSignInApi(env);
    self = selfServiceApi(env.stack, browser);
    signIn = signInApi(env.stack);
    const made = await browser.tenant({
      otpSendLimits: { perIdentifierPerHour: 1000, perIpPerHour: 10_000, perTenantPerHour: 10_000 },
    });
    ({ callback } = made);
    tenantId = made.tenant.id;
    tenantSlug = made.tenant.slug;
    op = await startOpenIdProvider({ clients: [opClient(callback)] });
    providerId = await browser.registerProvider(oidcProviderInput(tenantId, op.issuer, 'Corp SSO', { badgeKey: 'microsoft' }));
    kariAddress = email('kari');
    // The first sign-in waits until the identity subgraph knows the tenant from its events.
    kari = await eventually(() => signIn.signIn(tenantId, { email: kariAddress }, { name: 'Pixel 8', platform: 'ANDROID' }), {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
  });

  afterAll(async () => {
    await op?.stop();
  });

  afterEach(() => {
    expect(answers.splice(0).filter((answer) => answer.status >= 500)).toEqual([]);
  });

  /** A REST call through the gateway's public port, as a client makes it. */
  async function rest(
    path: string,
    init: {
      method?: string;
      token?: string | null;
      body?: unknown;
      rawBody?: string;
      contentType?: string;
      cookie?: string;
    } = {},
  ): Promise<RestAnswer> {
    const token = init.token === undefined ? kari.accessToken : init.token;
    const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    const response = await fetch(`${env.stack.publicUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': init.contentType ?? 'application/json' }),
        ...(init.cookie ? { cookie: init.cookie } : {}),
      },
      ...(body === undefined ? {} : { body }),
      redirect: 'manual',
    });
    const text = await response.text();
    answers.push({ request: `${init.method ?? 'GET'} ${path}`, status: response.status });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as Record<string, unknown> };
  }

  /** The refusal `{ error: { code, ... } }` with this status and code, in the documented shape. */
  function expectRefusal(answer: RestAnswer, status: number, code: string): void {
    expect({ status: answer.status, code: restErrorSchema.parse(answer.body).error.code }).toEqual({ status, code });
  }

  async function graphqlDevices(token: string, includeRevoked = false) {
    const response = await env.stack.graphql<{ me: { devices: { id: string; name: string; status: string }[] } }>(
      `query ($includeRevoked: Boolean) { me { devices(includeRevoked: $includeRevoked) { id name status } } }`,
      { includeRevoked },
      token,
    );
    return ok(response).me.devices;
  }

  it('GET /api/account/identities lists what GraphQL lists, never the address itself', async () => {
    const listed = await rest('/api/account/identities');
    expect(listed.status).toBe(200);
    expect(listed.headers.get('cache-control')).toBe('no-store');
    const { identities } = restIdentityListSchema.parse(listed.body);
    const graphql = await self.myIdentities(kari.accessToken);
    expect(identities.map(({ providerId: _providerId, ...identity }) => identity)).toEqual(
      graphql.map(({ provider: _provider, ...identity }) => identity),
    );
    expect(identities).toEqual([expect.objectContaining({ kind: 'EMAIL', verified: true })]);
    expect(JSON.stringify(listed.body)).not.toContain(kariAddress);
  });

  it('GET /api/account/devices lists the device bound to the sign-in, as GraphQL does', async () => {
    // The device subgraph learns the sign-in's device from identity's event.
    const listed = await eventually(async () => {
      const answer = await rest('/api/account/devices');
      expect(restDeviceListSchema.parse(answer.body).devices).toHaveLength(1);
      return answer;
    });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('cache-control')).toBe('no-store');
    const { devices } = restDeviceListSchema.parse(listed.body);
    expect(devices).toEqual([
      expect.objectContaining({ id: kari.session.deviceId, name: 'Pixel 8', platform: 'ANDROID', status: 'ACTIVE' }),
    ]);
    expect(devices.map(({ id, name, status }) => ({ id, name, status }))).toEqual(await graphqlDevices(kari.accessToken));
  });

  it('links an email address by the code sent to it (POST, then POST the code), and removes it in two DELETEs', async () => {
    const address = email('kari-work');
    const since = env.stack.mailbox.messages.length;
    const started = await rest('/api/account/identities', { method: 'POST', body: { method: 'EMAIL', email: address } });
    expect(started.status).toBe(202);
    const { flow, authorizeUrl } = restStartedIdentityLinkSchema.parse(started.body);
    expect(flow).toMatchObject({ method: 'EMAIL', state: 'CODE_SENT', destination: expect.stringContaining('***') });
    expect(authorizeUrl).toBeNull();
    expect(started.headers.getSetCookie()).toEqual([]);
    const { code } = await signIn.codeFor(address, since);

    const wrong = code === '000000' ? '111111' : '000000';
    expectRefusal(
      await rest(`/api/account/identities/link-flows/${flow.id}/code`, { method: 'POST', body: { code: wrong } }),
      400,
      'INVALID_CODE',
    );
    const verified = await rest(`/api/account/identities/link-flows/${flow.id}/code`, { method: 'POST', body: { code } });
    expect(verified.status).toBe(200);
    const linked = restVerifiedIdentityLinkSchema.parse(verified.body);
    expect(linked).toMatchObject({
      flow: { id: flow.id, state: 'LINKED', linkedIdentityId: linked.identity.id },
      identity: { kind: 'EMAIL', verified: true },
    });
    expect(JSON.stringify(verified.body)).not.toContain(address);
    const listed = restIdentityListSchema.parse((await rest('/api/account/identities')).body).identities;
    expect(listed.map((identity) => identity.id)).toContain(linked.identity.id);
    expect((await self.myIdentities(kari.accessToken)).map((identity) => identity.id)).toContain(linked.identity.id);

    // First DELETE: a removal request and its one-time confirmation.
    const path = `/api/account/identities/${linked.identity.id}`;
    const requested = await rest(path, { method: 'DELETE' });
    expect(requested.status).toBe(202);
    const { removal, confirmation } = restRequestedIdentityRemovalSchema.parse(requested.body);
    env.stack.handledSecrets.add(confirmation);
    expect(removal).toMatchObject({ identityId: linked.identity.id, state: 'REQUESTED', failure: null });

    // A wrong confirmation, or the removal presented at another identity's path, removes nothing.
    expectRefusal(
      await rest(path, { method: 'DELETE', body: { removalId: removal.id, confirmation: 'not-it' } }),
      404,
      'NOT_FOUND',
    );
    const [first] = listed;
    expectRefusal(
      await rest(`/api/account/identities/${first?.id}`, { method: 'DELETE', body: { removalId: removal.id, confirmation } }),
      404,
      'NOT_FOUND',
    );

    // Second DELETE: confirmed, gone.
    const confirmed = await rest(path, { method: 'DELETE', body: { removalId: removal.id, confirmation } });
    expect(confirmed.status).toBe(200);
    expect(restConfirmedIdentityRemovalSchema.parse(confirmed.body)).toEqual({
      removal: { ...removal, state: 'CONFIRMED' },
      removedIdentityId: linked.identity.id,
    });
    const after = restIdentityListSchema.parse((await rest('/api/account/identities')).body).identities;
    expect(after.map((identity) => identity.id)).not.toContain(linked.identity.id);
    expectRefusal(await rest(path, { method: 'DELETE', body: { removalId: removal.id, confirmation } }), 400, 'INVALID_STATE');

    // The last verified identity stays.
    expectRefusal(await rest(`/api/account/identities/${after[0]?.id}`, { method: 'DELETE' }), 409, 'LAST_VERIFIED_IDENTITY');
  });

  it("links an account at a provider: the gateway sets the flow's browser-binding cookie for the callback only", async () => {
    const started = await rest('/api/account/identities', {
      method: 'POST',
      body: { method: 'PROVIDER', providerId, returnTo: RETURN_TO },
    });
    expect(started.status).toBe(202);
    const { flow, authorizeUrl } = restStartedIdentityLinkSchema.parse(started.body);
    expect(flow).toMatchObject({ method: 'PROVIDER', state: 'WAITING_FOR_PROVIDER', providerId });
    const [binding, ...others] = started.headers.getSetCookie();
    expect(others).toEqual([]);
    expect(binding).toMatch(
      new RegExp(`^mfl_[^=]+=[^;]+; Path=/t/${tenantSlug}/callback; Max-Age=\\d+; HttpOnly; SameSite=Lax$`),
    );
    const pair = binding?.split('; ')[0] ?? '';
    env.stack.handledSecrets.add(pair.slice(pair.indexOf('=') + 1));

    const login = freshLogin('kari-sso');
    const callbackUrl = await signInAtProvider(authorizeUrl ?? '', { login, stopAt: callback });
    env.stack.handledSecrets.add(new URL(callbackUrl).searchParams.get('code') ?? '');
    const returned = await fetch(callbackUrl, { redirect: 'manual', headers: { cookie: pair } });
    expect(returned.status).toBe(303);
    expect(new URL(returned.headers.get('location') ?? '').searchParams.get('outcome')).toBe('SUCCEEDED');

    const identities = restIdentityListSchema.parse((await rest('/api/account/identities')).body).identities;
    expect(identities).toContainEqual(expect.objectContaining({ kind: 'OIDC', providerId, displayValue: login, verified: true }));
  });

  it('DELETE /api/account/devices/:id revokes the device; listed again only with includeRevoked', async () => {
    const tablet = await signIn.signIn(tenantId, { email: kariAddress }, { name: 'Tablet', platform: 'IOS' });
    // The device subgraph learns the sign-in's device from identity's event.
    const revoked = await eventually(async () => {
      const answer = await rest(`/api/account/devices/${tablet.session.deviceId}`, {
        method: 'DELETE',
        body: { reason: 'lost it' },
      });
      expect(answer.status).toBe(200);
      return answer;
    });
    expect(restRevokedDeviceSchema.parse(revoked.body).device).toMatchObject({
      id: tablet.session.deviceId,
      name: 'Tablet',
      status: 'REVOKED',
      revokedBy: { kind: 'OWNER', accountId: kari.account.id },
      revocationReason: 'lost it',
    });
    const trusted = restDeviceListSchema.parse((await rest('/api/account/devices')).body).devices;
    expect(trusted.map((device) => device.id)).not.toContain(tablet.session.deviceId);
    const all = restDeviceListSchema.parse((await rest('/api/account/devices?includeRevoked=true')).body).devices;
    expect(all.find((device) => device.id === tablet.session.deviceId)).toMatchObject({ status: 'REVOKED' });
    expect((await graphqlDevices(kari.accessToken, true)).find((device) => device.id === tablet.session.deviceId)).toMatchObject({
      status: 'REVOKED',
    });
  });

  it('answers 401 with a Bearer challenge without a token, with a bad one and with one of a signed-out session', async () => {
    for (const path of REST_API_PREFIXES.map((prefix) => prefix.path)) {
      const anonymous = await rest(path, { token: null });
      expectRefusal(anonymous, 401, 'UNAUTHENTICATED');
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      const forged = await rest(path, { token: `${kari.accessToken.slice(0, -4)}AAAA` });
      expectRefusal(forged, 401, 'UNAUTHENTICATED');
      expect(forged.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
      expectRefusal(await rest(path, { token: 'not a token at all' }), 401, 'UNAUTHENTICATED');
    }
    expectRefusal(
      await rest('/api/account/identities', { method: 'POST', token: null, body: { method: 'EMAIL' } }),
      401,
      'UNAUTHENTICATED',
    );

    const laptop = await signIn.signIn(tenantId, { email: kariAddress });
    expect((await rest('/api/account/identities', { token: laptop.accessToken })).status).toBe(200);
    ok(await sessionsApi(env.stack).signOut(laptop.accessToken));
    expectRefusal(await rest('/api/account/identities', { token: laptop.accessToken }), 401, 'UNAUTHENTICATED');
    expectRefusal(await rest('/api/account/devices', { token: laptop.accessToken }), 401, 'UNAUTHENTICATED');
  });

  it('answers 400 to bodies that are not JSON or not what the route takes, 415 and 413 to others', async () => {
    const identities = '/api/account/identities';
    expectRefusal(await rest(identities, { method: 'POST', rawBody: '{"method":' }), 400, 'BAD_REQUEST');
    expectRefusal(await rest('/api/account/devices/dev_x', { method: 'DELETE', rawBody: '{"reason":' }), 400, 'BAD_REQUEST');
    const unknownMethod = await rest(identities, { method: 'POST', body: { method: 'CARRIER_PIGEON' } });
    expectRefusal(unknownMethod, 400, 'BAD_USER_INPUT');
    expect(restErrorSchema.parse(unknownMethod.body).error.field).toBe('method');
    expectRefusal(
      await rest(identities, { method: 'POST', body: { method: 'EMAIL', email: 'not an address' } }),
      400,
      'BAD_USER_INPUT',
    );
    expectRefusal(
      await rest(identities, { method: 'POST', rawBody: 'method=EMAIL', contentType: 'text/plain' }),
      415,
      'BAD_REQUEST',
    );
    expectRefusal(
      await rest(identities, { method: 'POST', body: { method: 'EMAIL', email: `${'x'.repeat(20_000)}@example.test` } }),
      413,
      'REQUEST_TOO_LARGE',
    );
    expectRefusal(await rest('/api/account/devices?includeRevoked=maybe'), 400, 'BAD_USER_INPUT');
  });

  it('answers 404 to ids that are not the caller’s and to paths that are not routes', async () => {
    expectRefusal(await rest('/api/account/identities/idn_nobody', { method: 'DELETE' }), 404, 'NOT_FOUND');
    expectRefusal(
      await rest('/api/account/identities/link-flows/lfl_nobody/code', { method: 'POST', body: { code: '123456' } }),
      404,
      'NOT_FOUND',
    );
    expectRefusal(await rest('/api/account/devices/dev_nobody', { method: 'DELETE' }), 404, 'NOT_FOUND');
    const ola = await signIn.signIn(tenantId, { email: email('ola') }, { name: 'Ola’s phone', platform: 'ANDROID' });
    await eventually(async () => {
      const listed = await rest('/api/account/devices', { token: ola.accessToken });
      expect(restDeviceListSchema.parse(listed.body).devices).toHaveLength(1);
    });
    expectRefusal(await rest(`/api/account/devices/${ola.session.deviceId}`, { method: 'DELETE' }), 404, 'NOT_FOUND');
    const [olaIdentity] = restIdentityListSchema.parse(
      (await rest('/api/account/identities', { token: ola.accessToken })).body,
    ).identities;
    expectRefusal(await rest(`/api/account/identities/${olaIdentity?.id}`, { method: 'DELETE' }), 404, 'NOT_FOUND');
    expectRefusal(await rest('/api/account/identities/idn_1/elsewhere'), 404, 'NOT_FOUND');
    expectRefusal(await rest('/api/account/devices/dev_1/elsewhere'), 404, 'NOT_FOUND');
    expectRefusal(await rest('/api/account/identities/%2e%2e%2fgraphql'), 404, 'NOT_FOUND');
  });

  it('serves the OpenAPI document at /api/openapi.json, with every route above', async () => {
    const response = await fetch(`${env.stack.publicUrl}${OPENAPI_DOCUMENT_PATH}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    // No OpenAPI validator is installed here: the structure is checked, and every reference resolves.
    const document = (await response.json()) as {
      openapi: string;
      info: { title: string; version: string };
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string; scheme: string }> };
      security: Record<string, unknown>[];
    };
    expect(document).toMatchObject({ openapi: '3.1.0', info: { title: expect.any(String), version: expect.any(String) } });
    expect(document.security).toEqual([{ bearerAuth: [] }]);
    expect(document.components.securitySchemes['bearerAuth']).toMatchObject({ type: 'http', scheme: 'bearer' });
    const routes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual([
      'DELETE /api/account/devices/{deviceId}',
      'DELETE /api/account/identities/{identityId}',
      'GET /api/account/devices',
      'GET /api/account/identities',
      'GET /api/openapi.json',
      'POST /api/account/identities',
      'POST /api/account/identities/link-flows/{flowId}/code',
    ]);
    for (const operations of Object.values(document.paths)) {
      for (const operation of Object.values(operations)) expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
    }
    const text = JSON.stringify(document);
    const refs = [...text.matchAll(/"\$ref":"#\/([^"]+)"/g)].map((match) => match[1] ?? '');
    const unresolved = refs.filter(
      (ref) =>
        ref.split('/').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], document) ===
        undefined,
    );
    expect(unresolved).toEqual([]);
    for (const name of ['Identity', 'IdentityLinkFlow', 'IdentityRemoval', 'Device', 'Error']) {
      expect(document.components.schemas).toHaveProperty(name);
    }
  });
});
