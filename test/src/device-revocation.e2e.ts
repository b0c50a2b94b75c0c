import { DeviceRevoked, parseEnvelope, parseEventData, producerTopic, SessionRevoked } from '@messngr/contracts';
import { ANONYMOUS, ASSERTION_HEADER, AssertionSigner, type Caller } from '@messngr/kit/auth';
import { asTenantId } from '@messngr/kit/core';
import { eventually } from './harness/eventually';
import { recordingStack, serverErrors, sessionsApi, type Recorded, type SessionsApi } from './harness/sessions-api';
import { signInApi, type SignedIn, type SignInApi } from './harness/sign-in';
import { useStack, type Stack } from './harness/stack';
import { eventsWithKey, expectError, ok, tenantApi, unique, waitForEvent, type EventView } from './harness/tenant-api';
import { useTopicReader } from './harness/topic-reader';

const DEVICE_FIELDS = `id name platform publicKeyFingerprint status registeredAt lastHandshakeAt revokedAt
  revokedBy { kind accountId sessionId sessionEndReason } revocationReason`;

interface DeviceView {
  id: string;
  name: string;
  platform: string;
  publicKeyFingerprint: string | null;
  status: 'ACTIVE' | 'REVOKED';
  registeredAt: string;
  lastHandshakeAt: string | null;
  revokedAt: string | null;
  revokedBy: { kind: string; accountId: string | null; sessionId: string | null; sessionEndReason: string | null } | null;
  revocationReason: string | null;
}

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * Device revocation on the real stack: a session that ends takes the device bound to it along
 * (identity.session.revoked → device.device.revoked), and a revoked device takes its session
 * along (device.device.revoked → identity.session.revoked, refused by the gateway on the next
 * request); the owner revokes a device through the gateway (revokeDevice) and through the
 * device subgraph's REST routes, its tenant's administrators and support with a reason, nobody
 * else can, and every revocation is on the broker in the shape its contract promises.
 */
describe('device revocation', () => {
  const env = useStack();
  const reader = useTopicReader([producerTopic('identity'), producerTopic('device')]);
  let stack: Stack;
  let responses: Recorded[];
  let signIn: SignInApi;
  let sessions: SessionsApi;
  let tenantId: string;
  let address: string;
  /** Signed in on a phone: the session the device "Pixel 8" is bound to. */
  let phone: SignedIn;
  /** The same account on the web, without a device: it watches what happens to the phone. */
  let web: SignedIn;
  /** Another account of the same tenant. */
  let ola: SignedIn;

  beforeAll(async () => {
    ({ stack, responses } = recordingStack(env.stack));
    signIn = signInApi(stack);
    sessions = sessionsApi(stack);
    const tenants = tenantApi({ stack, adminToken: env.adminToken });
    tenantId = ok(await tenants.createTenant({ name: unique('Devices') })).createTenant.tenant.id;
    ok(await tenants.updatePolicy({ tenantId, otpSendLimits: { perIdentifierPerHour: 50, perIpPerHour: 500 } }));
    address = email('kari');
    // The first sign-in waits until the identity subgraph knows the tenant from its events.
    phone = await eventually(() => signIn.signIn(tenantId, { email: address }, { name: 'Pixel 8', platform: 'ANDROID' }), {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    web = await signIn.signIn(tenantId, { email: address });
    ola = await signIn.signIn(tenantId, { email: email('ola') });
  });

  afterEach(() => {
    // Each test's own responses: none was a server error.
    expect(serverErrors(responses.splice(0))).toEqual([]);
  });

  function email(label: string): string {
    return `${label}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@example.com`;
  }

  async function myDevices(token: string, includeRevoked?: boolean): Promise<DeviceView[]> {
    const response = await stack.graphql<{ me: { devices: DeviceView[] } | null }>(
      `query ($includeRevoked: Boolean) { me { id devices(includeRevoked: $includeRevoked) { ${DEVICE_FIELDS} } } }`,
      includeRevoked === undefined ? {} : { includeRevoked },
      token,
    );
    return ok(response).me!.devices;
  }

  /** The device, once the device subgraph has it (it learns of devices named at sign-in from Kafka). */
  async function deviceOf(token: string, id: string, where: (device: DeviceView) => boolean = () => true): Promise<DeviceView> {
    return eventually(
      async () => {
        const device = (await myDevices(token, true)).find((candidate) => candidate.id === id);
        if (!device || !where(device)) throw new Error(`device ${id} not as expected yet: ${JSON.stringify(device)}`);
        return device;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
  }

  function revokeDevice(token: string | undefined, input: { deviceId: string; reason?: string }) {
    return stack.graphql<{ revokeDevice: { device: DeviceView } }>(
      `mutation ($input: RevokeDeviceInput!) { revokeDevice(input: $input) { device { ${DEVICE_FIELDS} } } }`,
      { input },
      token,
    );
  }

  async function registerDevice(token: string, name: string): Promise<DeviceView> {
    const response = await stack.graphql<{ registerDevice: { device: DeviceView } }>(
      `mutation ($input: RegisterDeviceInput!) { registerDevice(input: $input) { device { ${DEVICE_FIELDS} } } }`,
      { input: { name, platform: 'IOS' } },
      token,
    );
    return ok(response).registerDevice.device;
  }

  /** The device.device.revoked of `deviceId` on the broker, parsed with its contract. */
  async function revocationEvent(accountId: string, deviceId: string) {
    const event = await waitForEvent(reader, accountId, DeviceRevoked.type, (candidate) => candidate.subject === deviceId);
    return { view: event, typed: parseEventData({ ...parseEnvelope(JSON.parse(event.raw)), type: DeviceRevoked.type }) };
  }

  /**
   * The distinct revocations of `deviceId` on the broker. Stacks running in parallel share the
   * topics, and each stack's device subgraph answers every stack's session events, so the same
   * revocation (same data, same time) may come from several stacks: it is counted once.
   */
  function revocationsOf(accountId: string, deviceId: string): EventView[] {
    const seen = new Set<string>();
    return eventsWithKey(reader, accountId).filter((event) => {
      if (event.type !== DeviceRevoked.type || event.subject !== deviceId) return false;
      const { data, time } = JSON.parse(event.raw) as { data: unknown; time: string };
      const fact = JSON.stringify({ data, time });
      if (seen.has(fact)) return false;
      seen.add(fact);
      return true;
    });
  }

  describe('when the session bound to a device ends', () => {
    it("the device is revoked at the session's end, by it, and device.device.revoked says so by its contract", async () => {
      const deviceId = phone.session.deviceId!;
      expect(deviceId).toMatch(/^dev_/);
      const registered = await deviceOf(web.accessToken, deviceId);
      expect(registered).toMatchObject({
        name: 'Pixel 8',
        platform: 'ANDROID',
        status: 'ACTIVE',
        revokedAt: null,
        revokedBy: null,
      });
      expect(registered.registeredAt).toMatch(ISO_INSTANT);

      ok(await sessions.revokeSession(web.accessToken, phone.session.id));

      const revoked = await deviceOf(web.accessToken, deviceId, (device) => device.status === 'REVOKED');
      expect(revoked).toEqual({
        ...registered,
        status: 'REVOKED',
        revokedAt: expect.stringMatching(ISO_INSTANT),
        revokedBy: { kind: 'SESSION_REVOKED', accountId: null, sessionId: phone.session.id, sessionEndReason: 'REVOKED' },
        revocationReason: null,
      });
      // Trusted devices only, by default.
      expect((await myDevices(web.accessToken)).map((device) => device.id)).not.toContain(deviceId);

      // Revoked at the time the session ended, as identity.session.revoked says.
      const sessionEvent = await waitForEvent(
        reader,
        phone.account.id,
        SessionRevoked.type,
        (event) => event.subject === phone.session.id,
      );
      expect(revoked.revokedAt).toBe(new Date((JSON.parse(sessionEvent.raw) as { time: string }).time).toISOString());

      const { view, typed } = await revocationEvent(phone.account.id, deviceId);
      expect(view).toMatchObject({ key: phone.account.id, partitionkey: phone.account.id, tenantid: tenantId });
      expect(typed).toMatchObject({
        source: '/messngr/device',
        accountid: phone.account.id,
        actorid: web.account.id,
        actortype: 'account',
      });
      expect(new Date(typed.time).toISOString()).toBe(revoked.revokedAt);
      expect(typed.data).toEqual({
        device: {
          id: deviceId,
          accountId: phone.account.id,
          name: 'Pixel 8',
          platform: 'ANDROID',
          registeredAt: registered.registeredAt,
        },
        reason: null,
        revokedBy: { kind: 'SESSION_REVOKED', sessionId: phone.session.id, sessionEndReason: 'REVOKED' },
      });
    });

    it('signing out revokes the device too, once', async () => {
      const laptop = await signIn.signIn(tenantId, { email: address }, { name: 'Work laptop', platform: 'DESKTOP' });
      const deviceId = laptop.session.deviceId!;
      await deviceOf(web.accessToken, deviceId);
      ok(await sessions.signOut(laptop.accessToken));
      const revoked = await deviceOf(web.accessToken, deviceId, (device) => device.status === 'REVOKED');
      expect(revoked.revokedBy).toEqual({
        kind: 'SESSION_REVOKED',
        accountId: null,
        sessionId: laptop.session.id,
        sessionEndReason: 'SIGNED_OUT',
      });
      await revocationEvent(laptop.account.id, deviceId);
      // Revoking the ended session again changes nothing, here or on the broker.
      ok(await sessions.revokeSession(web.accessToken, laptop.session.id));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await deviceOf(web.accessToken, deviceId)).toEqual(revoked);
      expect(revocationsOf(laptop.account.id, deviceId)).toHaveLength(1);
    });
  });

  describe('revokeDevice', () => {
    let tablet: SignedIn;
    let tabletDevice: DeviceView;

    beforeAll(async () => {
      tablet = await signIn.signIn(tenantId, { email: address }, { name: 'Tablet', platform: 'IOS' });
      tabletDevice = await deviceOf(web.accessToken, tablet.session.deviceId!);
    });

    it('answers NOT_FOUND to another account and for an unknown id, BAD_USER_INPUT to staff without a reason, and changes nothing', async () => {
      expectError(await revokeDevice(ola.accessToken, { deviceId: tabletDevice.id }), 'NOT_FOUND');
      const admin = await stack.issueToken({ tenantId, accountId: ola.account.id, roles: ['tenant_admin'] });
      expectError(await revokeDevice(admin, { deviceId: tabletDevice.id }), 'BAD_USER_INPUT', 'reason');
      const agent = await stack.issueToken({ tenantId, accountId: ola.account.id, roles: ['support_agent'] });
      expectError(await revokeDevice(agent, { deviceId: tabletDevice.id }), 'BAD_USER_INPUT', 'reason');
      expectError(await revokeDevice(web.accessToken, { deviceId: 'dev_nobody' }), 'NOT_FOUND');
      expectError(await revokeDevice(undefined, { deviceId: tabletDevice.id }), 'UNAUTHENTICATED');
      expectError(await revokeDevice(web.accessToken, { deviceId: tabletDevice.id, reason: '   ' }), 'BAD_USER_INPUT', 'reason');
      expect(await deviceOf(web.accessToken, tabletDevice.id)).toEqual(tabletDevice);
    });

    it('revokes the owner’s device with its reason, once, and ends the session bound to it', async () => {
      const revoked = ok(await revokeDevice(web.accessToken, { deviceId: tabletDevice.id, reason: '  lost on  the train ' }))
        .revokeDevice.device;
      expect(revoked).toEqual({
        ...tabletDevice,
        status: 'REVOKED',
        revokedAt: expect.stringMatching(ISO_INSTANT),
        revokedBy: { kind: 'OWNER', accountId: web.account.id, sessionId: null, sessionEndReason: null },
        revocationReason: 'lost on the train',
      });
      const { typed } = await revocationEvent(web.account.id, tabletDevice.id);
      expect(typed).toMatchObject({ actorid: web.account.id, actortype: 'account', time: revoked.revokedAt });
      expect(typed.data).toEqual({
        device: {
          id: tabletDevice.id,
          accountId: web.account.id,
          name: 'Tablet',
          platform: 'IOS',
          registeredAt: tabletDevice.registeredAt,
        },
        reason: 'lost on the train',
        revokedBy: { kind: 'OWNER', accountId: web.account.id },
      });

      // Again: the first revocation stands and nothing more is published.
      const again = ok(await revokeDevice(web.accessToken, { deviceId: tabletDevice.id, reason: 'stolen' })).revokeDevice.device;
      expect(again).toEqual(revoked);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const byOwner = (event: EventView) =>
        (JSON.parse(event.raw) as { data: { revokedBy: { kind: string } } }).data.revokedBy.kind === 'OWNER';
      expect(revocationsOf(web.account.id, tabletDevice.id).filter(byOwner)).toHaveLength(1);

      // The identity subgraph ends the bound session; the gateway refuses its token from then on.
      await eventually(
        async () => {
          const answer = await stack.graphql<{ me: { id: string } | null }>('{ me { id } }', {}, tablet.accessToken);
          expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        },
        { timeoutMs: 20_000, intervalMs: 200 },
      );
      const listed = ok(await sessions.mySessions(web.accessToken, true)).me!.sessions;
      expect(listed.find((session) => session.id === tablet.session.id)).toMatchObject({
        status: 'REVOKED',
        endReason: 'DEVICE_REVOKED',
      });
      const ended = await waitForEvent(
        reader,
        web.account.id,
        SessionRevoked.type,
        (event) => event.subject === tablet.session.id,
      );
      expect(parseEventData({ ...parseEnvelope(JSON.parse(ended.raw)), type: SessionRevoked.type })).toMatchObject({
        actorid: web.account.id,
        actortype: 'account',
        data: { reason: 'DEVICE_REVOKED' },
      });
      expectError(await signIn.refreshSession(tablet.refreshToken), 'INVALID_REFRESH_TOKEN');
      // The web session, bound to no device, lives on.
      ok(await sessions.mySessions(web.accessToken));
      // The session's end does not revoke the device again: its first revocation stands.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await deviceOf(web.accessToken, tabletDevice.id)).toEqual(revoked);
    });

    it('lets support of its tenant revoke it with a reason, ending its session; support of another tenant sees nothing', async () => {
      const phone2 = await signIn.signIn(tenantId, { email: address }, { name: 'Work phone', platform: 'ANDROID' });
      const target = await deviceOf(web.accessToken, phone2.session.deviceId!);
      const otherTenant = ok(await tenantApi({ stack, adminToken: env.adminToken }).createTenant({ name: unique('Elsewhere') }))
        .createTenant.tenant.id;
      // The identity subgraph signs tokens for the new tenant once it has heard of it.
      const stranger = await eventually(() =>
        stack.issueToken({ tenantId: otherTenant, accountId: 'acc_stranger', roles: ['support_agent'] }),
      );
      expectError(await revokeDevice(stranger, { deviceId: target.id, reason: 'asked to' }), 'NOT_FOUND');
      const strangerAdmin = await stack.issueToken({ tenantId: otherTenant, accountId: 'acc_stranger', roles: ['tenant_admin'] });
      expectError(await revokeDevice(strangerAdmin, { deviceId: target.id, reason: 'asked to' }), 'NOT_FOUND');
      expect(await deviceOf(web.accessToken, target.id)).toEqual(target);

      const agent = await stack.issueToken({ tenantId, accountId: ola.account.id, roles: ['support_agent'] });
      const revoked = ok(await revokeDevice(agent, { deviceId: target.id, reason: ' reported  stolen ' })).revokeDevice.device;
      expect(revoked).toMatchObject({
        status: 'REVOKED',
        revokedBy: { kind: 'SUPPORT', accountId: ola.account.id, sessionId: null, sessionEndReason: null },
        revocationReason: 'reported stolen',
      });
      const { typed } = await revocationEvent(web.account.id, target.id);
      expect(typed).toMatchObject({ actorid: ola.account.id, actortype: 'operator', actorreason: 'reported stolen' });
      await eventually(
        async () => {
          const answer = await stack.graphql<{ me: { id: string } | null }>('{ me { id } }', {}, phone2.accessToken);
          expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        },
        { timeoutMs: 20_000, intervalMs: 200 },
      );
      // The owner sees who revoked it.
      expect(await deviceOf(web.accessToken, target.id)).toEqual(revoked);
    });
  });

  describe('the REST routes, called on the device subgraph with the gateway’s assertion', () => {
    let signer: AssertionSigner;
    let base: string;
    let kari: Caller;

    beforeAll(async () => {
      signer = await AssertionSigner.fromJwk(stack.secrets.GATEWAY_ASSERTION_PRIVATE_KEY);
      base = `${stack.subgraphUrls.device}/api/account/devices`;
      kari = { accountId: web.account.id, tenantId: asTenantId(tenantId), sessionId: web.session.id, roles: [] };
    });

    async function rest(
      path: string,
      as: Caller | 'no assertion' | { audience: string; caller: Caller },
      init: { method?: string; body?: unknown; rawBody?: string; contentType?: string } = {},
    ) {
      const headers: Record<string, string> = {};
      if (as !== 'no assertion') {
        headers[ASSERTION_HEADER] =
          'audience' in as ? await signer.sign(as.caller, as.audience) : await signer.sign(as, 'device');
      }
      const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
      if (body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
      const response = await fetch(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const answer = { status: response.status, body: (await response.json()) as Record<string, unknown> };
      responses.push({ operation: `${init.method ?? 'GET'} ${path}`, status: answer.status, codes: [] });
      return answer;
    }

    it('GET lists the caller’s devices with the fields GraphQL shows, revoked ones on request', async () => {
      const current = await registerDevice(web.accessToken, 'Old phone');
      const trusted = await rest('', kari);
      expect(trusted.status).toBe(200);
      expect(trusted.body).toEqual({ devices: await myDevices(web.accessToken) });
      expect((trusted.body['devices'] as DeviceView[]).map((device) => device.id)).toContain(current.id);
      expect((trusted.body['devices'] as DeviceView[]).every((device) => device.status === 'ACTIVE')).toBe(true);

      const all = await rest('?includeRevoked=true', kari);
      expect(all).toEqual({ status: 200, body: { devices: await myDevices(web.accessToken, true) } });
      const phoneDevice = (all.body['devices'] as DeviceView[]).find((device) => device.id === phone.session.deviceId);
      expect(phoneDevice).toMatchObject({ status: 'REVOKED', revokedAt: expect.stringMatching(ISO_INSTANT) });
    });

    it('DELETE revokes the caller’s own device, with or without a reason, and publishes the event', async () => {
      const first = await registerDevice(web.accessToken, 'Sold phone');
      const answer = await rest(`/${first.id}`, kari, { method: 'DELETE', body: { reason: 'sold it' } });
      expect(answer).toEqual({
        status: 200,
        body: {
          device: {
            ...first,
            status: 'REVOKED',
            revokedAt: expect.stringMatching(ISO_INSTANT),
            revokedBy: { kind: 'OWNER', accountId: web.account.id, sessionId: null, sessionEndReason: null },
            revocationReason: 'sold it',
          },
        },
      });
      expect((await revocationEvent(web.account.id, first.id)).typed.data).toMatchObject({ reason: 'sold it' });
      expect(await deviceOf(web.accessToken, first.id)).toEqual((answer.body as { device: DeviceView }).device);

      const second = await registerDevice(web.accessToken, 'Broken phone');
      expect(await rest(`/${second.id}`, kari, { method: 'DELETE' })).toMatchObject({
        status: 200,
        body: { device: { id: second.id, status: 'REVOKED', revocationReason: null } },
      });
    });

    it('refuses, in the REST shape and without a server error, what it must', async () => {
      const target = await registerDevice(web.accessToken, 'Kept phone');
      const olaCaller: Caller = {
        accountId: ola.account.id,
        tenantId: asTenantId(tenantId),
        sessionId: ola.session.id,
        roles: [],
      };
      const refusal = (status: number, code: string) => ({
        status,
        body: { error: expect.objectContaining({ code, message: expect.any(String) }) },
      });

      expect(await rest(`/dev_nobody`, kari, { method: 'DELETE' })).toEqual(refusal(404, 'NOT_FOUND'));
      expect(await rest(`/${target.id}`, olaCaller, { method: 'DELETE' })).toEqual(refusal(404, 'NOT_FOUND'));
      expect(await rest(`/${target.id}`, kari, { method: 'DELETE', body: { reason: 42 } })).toEqual(
        refusal(400, 'BAD_USER_INPUT'),
      );
      expect(await rest(`/${target.id}`, kari, { method: 'DELETE', body: { reason: 'x'.repeat(201) } })).toEqual(
        refusal(400, 'BAD_USER_INPUT'),
      );
      expect(await rest(`/${target.id}`, kari, { method: 'DELETE', rawBody: '{"reason":' })).toEqual(refusal(400, 'BAD_REQUEST'));
      expect(await rest('?includeRevoked=perhaps', kari)).toEqual(refusal(400, 'BAD_USER_INPUT'));

      // An anonymous caller the gateway vouches for: no account, so no devices.
      expect(await rest('', ANONYMOUS)).toEqual(refusal(401, 'UNAUTHENTICATED'));
      expect(await rest(`/${target.id}`, ANONYMOUS, { method: 'DELETE' })).toEqual(refusal(401, 'UNAUTHENTICATED'));

      // Not through the gateway: no assertion, or one for another subgraph.
      for (const as of ['no assertion', { audience: 'identity', caller: kari }] as const) {
        for (const method of ['GET', 'DELETE']) {
          const answer = await rest(method === 'GET' ? '' : `/${target.id}`, as, { method });
          expect(answer.status).toBe(401);
          expect(JSON.stringify(answer.body)).toContain('UNAUTHENTICATED');
        }
      }

      // Nothing of that changed the device.
      expect(await deviceOf(web.accessToken, target.id)).toEqual(target);
      expect(revocationsOf(web.account.id, target.id)).toEqual([]);
    });
  });
});
