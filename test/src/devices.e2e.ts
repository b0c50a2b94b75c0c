import { createHash } from 'node:crypto';
import { deadLetterTopic, DeviceHandshakeCompleted, parseEnvelope, parseEventData, producerTopic } from '@messngr/contracts';
import { deviceKey, devicesApi, type DeviceKey, type DevicesApi, type DeviceView } from './harness/devices-api';
import { eventually } from './harness/eventually';
import { useMessagingBackend } from './harness/messaging-backend';
import { recordingStack, serverErrors, type Recorded } from './harness/sessions-api';
import { signInApi, type SignedIn, type SignInApi } from './harness/sign-in';
import { useStack, type Stack } from './harness/stack';
import { expectError, ok, tenantApi, unique, waitForEvent } from './harness/tenant-api';
import { useTopicReader } from './harness/topic-reader';

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** RFC 7638, computed here the way a client would: SHA-256 of the required members in order, base64url. */
function thumbprint(jwk: { kty: string; crv: string; x: string }): string {
  return createHash('sha256').update(`{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}"}`).digest('base64url');
}

/**
 * Devices on the real stack, through the gateway: registration with an Ed25519 JWK, the
 * handshake (recorded; refused when forged or replayed, and counted), and the cap on active
 * devices under concurrent registrations.
 */
describe('devices', () => {
  const env = useStack();
  const reader = useTopicReader([producerTopic('device'), deadLetterTopic('device')]);
  const messaging = useMessagingBackend();
  let stack: Stack;
  let responses: Recorded[];
  let signIn: SignInApi;
  let devices: DevicesApi;
  let tenantId: string;
  let kari: SignedIn;
  let ola: SignedIn;

  const email = (label: string) => `${label}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@example.com`;

  beforeAll(async () => {
    ({ stack, responses } = recordingStack(env.stack));
    signIn = signInApi(stack);
    devices = devicesApi(stack);
    const tenants = tenantApi({ stack, adminToken: env.adminToken });
    tenantId = ok(await tenants.createTenant({ name: unique('Devices') })).createTenant.tenant.id;
    ok(await tenants.updatePolicy({ tenantId, otpSendLimits: { perIdentifierPerHour: 50, perIpPerHour: 500 } }));
    kari = await eventually(() => signIn.signIn(tenantId, { email: email('kari') }), { timeoutMs: 30_000, intervalMs: 250 });
    ola = await signIn.signIn(tenantId, { email: email('ola') });
  });

  afterEach(() => {
    expect(serverErrors(responses.splice(0))).toEqual([]);
  });

  /** The device subgraph learns of accounts from Kafka: a registration right after sign-in may need a moment. */
  const register = (token: string, input: Parameters<DevicesApi['registerDevice']>[1]) =>
    eventually(async () => ok(await devices.registerDevice(token, input)).registerDevice.device);

  async function myDevice(token: string, id: string): Promise<DeviceView | undefined> {
    return ok(await devices.myDevices(token, true)).me!.devices.find((device) => device.id === id);
  }

  describe('registering', () => {
    it('keeps the Ed25519 public JWK and the app version, and shows the key’s RFC 7638 thumbprint', async () => {
      const key = deviceKey();
      const device = await register(kari.accessToken, {
        name: ' Pixel  8 ',
        platform: 'ANDROID',
        appVersion: '4.2.1',
        publicKey: key.publicJwk,
      });
      expect(device).toMatchObject({
        name: 'Pixel 8',
        appVersion: '4.2.1',
        publicKey: key.publicJwk,
        publicKeyFingerprint: thumbprint(key.publicJwk),
        status: 'ACTIVE',
        lastHandshakeAt: null,
      });
      expect(await myDevice(kari.accessToken, device.id)).toEqual(device);
    });

    it.each<[string, Record<string, unknown>, string]>([
      [
        'a JWK with its private part',
        { ...deviceKey().publicJwk, d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A' },
        'publicKey.d',
      ],
      ['a key that is not Ed25519', { kty: 'OKP', crv: 'X25519', x: deviceKey().publicJwk.x }, 'publicKey.crv'],
      ['a key of the wrong length', { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }, 'publicKey.x'],
      ['an app version over 32 characters', { appVersion: '1'.repeat(33) }, 'appVersion'],
    ])('refuses %s as BAD_USER_INPUT naming the field', async (_what, change, field) => {
      const input = 'kty' in change ? { publicKey: change } : change;
      const response = await devices.registerDevice(kari.accessToken, { name: 'Refused', platform: 'IOS', ...input });
      expectError(response, 'BAD_USER_INPUT', field);
    });
  });

  describe('the handshake', () => {
    let key: DeviceKey;
    let device: DeviceView;
    const userAgent = 'MessngrPhone/4.2.1 (e2e)';

    beforeAll(async () => {
      key = deviceKey();
      device = await register(kari.accessToken, { name: 'Handshaker', platform: 'IOS', publicKey: key.publicJwk });
    });

    const handshakeCount = async (outcome: string) => {
      const metric = await stack.services.device.runtime.metrics.registry.getSingleMetric('device_handshakes_total')?.get();
      return metric?.values.find((value) => value.labels['outcome'] === outcome)?.value ?? 0;
    };
    const complete = (input: { deviceId: string; nonce: string; signature: string }) =>
      stack.graphqlAs<{ completeDeviceHandshake: { device: DeviceView } }>(
        `mutation ($input: CompleteDeviceHandshakeInput!) { completeDeviceHandshake(input: $input) { device { id lastHandshakeAt lastHandshakeClientIp lastHandshakeUserAgent } } }`,
        { input },
        { token: kari.accessToken, headers: { 'user-agent': userAgent } },
      );

    it('refuses a forged signature (another key, an altered message), records the genuine one once, and refuses its replay', async () => {
      const started = ok(await devices.startHandshake(kari.accessToken, device.id)).startDeviceHandshake;
      expect(started.message).toBe(`messngr-device-handshake:v1:${device.id}:${started.nonce}`);
      expect(Buffer.from(started.nonce, 'base64url').length).toBeGreaterThanOrEqual(16);
      const expiresInMs = new Date(started.expiresAt).getTime() - Date.now();
      expect(expiresInMs).toBeGreaterThan(60_000);
      expect(expiresInMs).toBeLessThanOrEqual(120_000);
      const before = {
        invalid: await handshakeCount('HANDSHAKE_SIGNATURE_INVALID'),
        replayed: await handshakeCount('HANDSHAKE_NONCE_REPLAYED'),
      };

      const attempt = { deviceId: device.id, nonce: started.nonce };
      expectError(await complete({ ...attempt, signature: deviceKey().sign(started.message) }), 'HANDSHAKE_SIGNATURE_INVALID');
      expectError(await complete({ ...attempt, signature: key.sign(`${started.message}x`) }), 'HANDSHAKE_SIGNATURE_INVALID');
      expectError(
        await complete({ ...attempt, signature: key.sign(started.message.replace(device.id, 'dev_other')) }),
        'HANDSHAKE_SIGNATURE_INVALID',
      );
      expect((await myDevice(kari.accessToken, device.id))?.lastHandshakeAt).toBeNull();

      const signature = key.sign(started.message);
      const completed = ok(await complete({ ...attempt, signature })).completeDeviceHandshake.device;
      expect(completed.lastHandshakeAt).toMatch(ISO_INSTANT);
      expect(completed.lastHandshakeUserAgent).toBe(userAgent);
      expect(completed.lastHandshakeClientIp).toMatch(/127\.0\.0\.1|::1/);
      // Visible where the account overview reads it.
      expect(await myDevice(kari.accessToken, device.id)).toMatchObject({ lastHandshakeAt: completed.lastHandshakeAt });

      expectError(await complete({ ...attempt, signature }), 'HANDSHAKE_NONCE_REPLAYED');
      expect(await handshakeCount('HANDSHAKE_SIGNATURE_INVALID')).toBe(before.invalid + 3);
      expect(await handshakeCount('HANDSHAKE_NONCE_REPLAYED')).toBe(before.replayed + 1);
      expect((await myDevice(kari.accessToken, device.id))?.lastHandshakeAt).toBe(completed.lastHandshakeAt);

      const event = await waitForEvent(reader, kari.account.id, DeviceHandshakeCompleted.type, (e) => e.subject === device.id);
      const typed = parseEventData({ ...parseEnvelope(JSON.parse(event.raw)), type: DeviceHandshakeCompleted.type });
      expect(typed).toMatchObject({
        actorid: kari.account.id,
        useragent: userAgent,
        data: { handshakeAt: completed.lastHandshakeAt },
      });
      expect(event.raw).not.toContain(started.nonce);
      expect(event.raw).not.toContain(signature);
    });

    it('lets two concurrent completions with one nonce succeed once', async () => {
      const started = ok(await devices.startHandshake(kari.accessToken, device.id)).startDeviceHandshake;
      const signature = key.sign(started.message);
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => complete({ deviceId: device.id, nonce: started.nonce, signature })),
      );
      expect(answers.filter((answer) => !answer.errors).length).toBe(1);
      for (const answer of answers.filter((a) => a.errors)) expectError(answer, 'HANDSHAKE_NONCE_REPLAYED');
    });

    it('refuses an unknown nonce, a nonce replaced by a newer start, another account’s device and a device without a key', async () => {
      const first = ok(await devices.startHandshake(kari.accessToken, device.id)).startDeviceHandshake;
      ok(await devices.startHandshake(kari.accessToken, device.id));
      expectError(
        await complete({ deviceId: device.id, nonce: first.nonce, signature: key.sign(first.message) }),
        'HANDSHAKE_NONCE_UNKNOWN',
      );
      expectError(
        await complete({ deviceId: device.id, nonce: 'made-up', signature: key.sign('anything') }),
        'HANDSHAKE_NONCE_UNKNOWN',
      );
      expectError(await devices.startHandshake(ola.accessToken, device.id), 'NOT_FOUND');
      expectError(
        await devices.completeHandshake(ola.accessToken, {
          deviceId: device.id,
          nonce: first.nonce,
          signature: key.sign(first.message),
        }),
        'NOT_FOUND',
      );
      expectError(await devices.startHandshake(undefined, device.id), 'UNAUTHENTICATED');
      const keyless = await register(kari.accessToken, { name: 'Keyless', platform: 'WEB' });
      expectError(await devices.startHandshake(kari.accessToken, keyless.id), 'DEVICE_HAS_NO_KEY');
      ok(await devices.revokeDevice(kari.accessToken, { deviceId: keyless.id }));
      expectError(await devices.startHandshake(kari.accessToken, keyless.id), 'DEVICE_REVOKED');
    });
  });

  describe('handshakes a messaging backend publishes', () => {
    const observedCount = async (outcome: string) => {
      const metric = await stack.services.device.runtime.metrics.registry
        .getSingleMetric('device_observed_handshakes_total')
        ?.get();
      return metric?.values.find((value) => value.labels['outcome'] === outcome)?.value ?? 0;
    };

    it('records one as lastHandshakeAt through the gateway, never moves it back, and ignores a revoked device', async () => {
      const device = await register(kari.accessToken, { name: 'Connected', platform: 'IOS', publicKey: deviceKey().publicJwk });
      const at = new Date(Date.now() - 5_000);
      const where = { clientIp: '198.51.100.23', userAgent: 'messaging-edge/1.0' };
      await messaging.publishHandshake({ tenantId, accountId: kari.account.id, deviceId: device.id, at, ...where });
      const recorded = await eventually(async () => {
        const found = await myDevice(kari.accessToken, device.id);
        if (!found?.lastHandshakeAt) throw new Error('the handshake is not recorded yet');
        return found;
      });
      expect(recorded.lastHandshakeAt).toBe(at.toISOString());
      const event = await waitForEvent(reader, kari.account.id, DeviceHandshakeCompleted.type, (e) => e.subject === device.id);
      expect(parseEnvelope(JSON.parse(event.raw))).toMatchObject({ actortype: 'system', clientip: where.clientIp });

      const stale = await observedCount('STALE');
      await messaging.publishHandshake({
        tenantId,
        accountId: kari.account.id,
        deviceId: device.id,
        at: new Date(at.getTime() - 60_000),
      });
      await eventually(async () => expect(await observedCount('STALE')).toBe(stale + 1));
      expect((await myDevice(kari.accessToken, device.id))?.lastHandshakeAt).toBe(at.toISOString());

      ok(await devices.revokeDevice(kari.accessToken, { deviceId: device.id }));
      const revoked = await observedCount('DEVICE_REVOKED');
      await messaging.publishHandshake({ tenantId, accountId: kari.account.id, deviceId: device.id, at: new Date() });
      await eventually(async () => expect(await observedCount('DEVICE_REVOKED')).toBe(revoked + 1));
      expect((await myDevice(kari.accessToken, device.id))?.lastHandshakeAt).toBe(at.toISOString());
    });

    it('parks one naming another account’s device, changing nothing', async () => {
      const device = await register(kari.accessToken, {
        name: 'Not Ola’s',
        platform: 'ANDROID',
        publicKey: deviceKey().publicJwk,
      });
      const eventId = await messaging.publishHandshake({
        tenantId,
        accountId: ola.account.id,
        deviceId: device.id,
        at: new Date(),
      });
      await reader.waitFor((m) => m.topic === deadLetterTopic('device') && m.value.includes(eventId), 60_000);
      expect((await myDevice(kari.accessToken, device.id))?.lastHandshakeAt).toBeNull();
    });
  });

  describe('named at sign-in', () => {
    it('is registered with its key and app version, bound to the session, and can handshake', async () => {
      const key = deviceKey();
      const signedIn = await signIn.signIn(
        tenantId,
        { email: email('keyed') },
        { name: 'Pixel 9', platform: 'ANDROID', appVersion: '5.0.0', publicKey: key.publicJwk },
      );
      const deviceId = signedIn.session.deviceId!;
      expect(deviceId).toMatch(/^dev_/);
      const device = await eventually(async () => {
        const found = await myDevice(signedIn.accessToken, deviceId);
        if (!found) throw new Error('the device is not registered yet');
        return found;
      });
      expect(device).toMatchObject({
        name: 'Pixel 9',
        platform: 'ANDROID',
        appVersion: '5.0.0',
        publicKey: key.publicJwk,
        publicKeyFingerprint: thumbprint(key.publicJwk),
        status: 'ACTIVE',
      });
      const started = ok(await devices.startHandshake(signedIn.accessToken, deviceId)).startDeviceHandshake;
      const completed = ok(
        await devices.completeHandshake(signedIn.accessToken, {
          deviceId,
          nonce: started.nonce,
          signature: key.sign(started.message),
        }),
      ).completeDeviceHandshake.device;
      expect(completed.lastHandshakeAt).toMatch(ISO_INSTANT);
    });

    it.each<[string, Record<string, unknown>, string]>([
      [
        'a private key',
        { publicKey: { ...deviceKey().publicJwk, d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A' } },
        'device.publicKey.d',
      ],
      ['a key that is not Ed25519', { publicKey: { kty: 'EC', crv: 'P-256', x: 'AAAA' } }, 'device.publicKey.kty'],
      ['an app version over 32 characters', { appVersion: '1'.repeat(33) }, 'device.appVersion'],
      ['a blank name', { name: '   ' }, 'device.name'],
    ])('refuses %s as BAD_USER_INPUT before the code is spent: the same code then signs in', async (_what, change, field) => {
      const address = email('refused-device');
      const since = stack.mailbox.messages.length;
      const flow = ok(await signIn.startLogin({ tenantId, email: address })).startLogin.flow;
      const { code } = await signIn.codeFor(address, since);
      const device = { name: 'Phone', platform: 'IOS', ...change } as Parameters<SignInApi['signIn']>[2];
      expectError(await signIn.completeLogin({ flowId: flow.id, code, device }), 'BAD_USER_INPUT', field);
      const completed = ok(await signIn.completeLogin({ flowId: flow.id, code })).completeLogin;
      expect(completed.accountCreated).toBe(true);
      expect(completed.session.deviceId).toBeNull();
    });
  });

  describe('the cap on active devices (20)', () => {
    it('holds under 20 concurrent registrations: with 10 active, exactly 10 more succeed', async () => {
      const owner = await signIn.signIn(tenantId, { email: email('many') });
      await register(owner.accessToken, { name: 'Device 0', platform: 'WEB' });
      for (let i = 1; i < 10; i += 1)
        ok(await devices.registerDevice(owner.accessToken, { name: `Device ${i}`, platform: 'WEB' }));

      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => devices.registerDevice(owner.accessToken, { name: `Racer ${i}`, platform: 'IOS' })),
      );
      const succeeded = answers.filter((answer) => !answer.errors);
      const refused = answers.filter((answer) => answer.errors);
      expect(succeeded).toHaveLength(10);
      expect(refused).toHaveLength(10);
      for (const answer of refused) expectError(answer, 'DEVICE_LIMIT_REACHED');
      const active = ok(await devices.myDevices(owner.accessToken)).me!.devices;
      expect(active).toHaveLength(20);
      expect(active.every((device) => device.status === 'ACTIVE')).toBe(true);

      // Revoking one frees its place, for one device only.
      ok(await devices.revokeDevice(owner.accessToken, { deviceId: active[0]!.id }));
      ok(await devices.registerDevice(owner.accessToken, { name: 'Replacement', platform: 'IOS' }));
      expectError(
        await devices.registerDevice(owner.accessToken, { name: 'One too many', platform: 'IOS' }),
        'DEVICE_LIMIT_REACHED',
      );
      expect(ok(await devices.myDevices(owner.accessToken)).me!.devices).toHaveLength(20);
    });
  });
});
