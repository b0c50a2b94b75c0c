import { DeviceRevoked, parseEnvelope, parseEventData } from '@messngr/contracts';
import type { Caller } from '@messngr/kit/auth';
import { asTenantId, PLATFORM_TENANT, Role } from '@messngr/kit/core';
import { DomainError } from '@messngr/kit/errors';
import type { NewAggregate } from '@messngr/kit/mongo';
import type { DeviceDocument } from '../persistence/device.model';
import { aDevice } from '../persistence/device-fixture';
import { InMemoryDeviceSlots } from '../persistence/in-memory-device-slots';
import { InMemoryDeviceStore } from '../persistence/in-memory-device-store';
import { listDevices } from './list-devices';
import { revokeDevice } from './revoke-device';
import { revokeSessionDevices } from './revoke-session-devices';

const REGISTERED = new Date('2026-11-23T09:00:00.000Z');
const NOW = new Date('2026-11-23T10:00:00.000Z');
const tenantA = asTenantId('ten_a');
const tenantB = asTenantId('ten_b');
const kari: Caller = {
  tenantId: tenantA,
  accountId: 'acc_kari',
  sessionId: 'ses_web',
  roles: [],
  clientIp: '203.0.113.7',
  userAgent: 'Firefox',
};

function device(id: string, overrides: Partial<NewAggregate<DeviceDocument>> = {}): NewAggregate<DeviceDocument> {
  return aDevice(id, { sessionId: 'ses_phone', registeredAt: REGISTERED, ...overrides });
}

async function setup() {
  const devices = new InMemoryDeviceStore(() => NOW);
  const slots = new InMemoryDeviceSlots();
  await devices.insert(device('dev_kari', { slot: 0 }), []);
  await slots.claim(tenantA, 'acc_kari', 0, 'dev_kari', REGISTERED);
  await devices.insert(device('dev_ola', { accountId: 'acc_ola', sessionId: 'ses_ola' }), []);
  await devices.insert(device('dev_elsewhere', { tenantId: tenantB }), []);
  return { devices, slots, deps: { devices, slots, clock: { now: () => NOW } } };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'UNEXPECTED';
  }
}

describe('revokeDevice, by its owner', () => {
  it('revokes it now, with the reason, and puts device.device.revoked in its outbox', async () => {
    const { deps, devices } = await setup();
    const revoked = await revokeDevice(deps, kari, { deviceId: 'dev_kari', reason: ' lost  on the train ' });

    expect(revoked).toMatchObject({
      _id: 'dev_kari',
      revokedAt: NOW,
      revokedBy: { kind: 'OWNER', accountId: 'acc_kari' },
      revocationReason: 'lost on the train',
      // The binding stays: it says which session the device had.
      sessionId: 'ses_phone',
      version: 2,
    });
    expect(revoked.pendingEvents.map((event) => event.type)).toEqual(['device.device.revoked']);
    const [event] = devices.published;
    expect(event).toMatchObject({
      subject: 'dev_kari',
      partitionkey: 'acc_kari',
      accountid: 'acc_kari',
      actorid: 'acc_kari',
      actortype: 'account',
      clientip: '203.0.113.7',
      useragent: 'Firefox',
      time: NOW.toISOString(),
    });
    const parsed = parseEventData({ ...parseEnvelope(JSON.parse(JSON.stringify(event))), type: DeviceRevoked.type });
    expect(parsed.data).toEqual({
      device: {
        id: 'dev_kari',
        accountId: 'acc_kari',
        name: 'Pixel 8',
        platform: 'ANDROID',
        registeredAt: REGISTERED.toISOString(),
      },
      reason: 'lost on the train',
      revokedBy: { kind: 'OWNER', accountId: 'acc_kari' },
    });
  });

  it('keeps no reason when none is given', async () => {
    const { deps } = await setup();
    expect(await revokeDevice(deps, kari, { deviceId: 'dev_kari' })).toMatchObject({ revocationReason: null });
  });

  it('answers a device revoked already as it is, and publishes nothing more', async () => {
    const { deps, devices } = await setup();
    const first = await revokeDevice(deps, kari, { deviceId: 'dev_kari', reason: 'lost' });
    const again = await revokeDevice(deps, kari, { deviceId: 'dev_kari', reason: 'stolen' });
    expect(again).toEqual(first);
    expect(devices.published).toHaveLength(1);
  });

  it("keeps the owner's revocation when the device's session ends afterwards", async () => {
    const { deps, devices } = await setup();
    const byOwner = await revokeDevice(deps, kari, { deviceId: 'dev_kari' });
    const revoked = await revokeSessionDevices(deps, {
      tenantId: tenantA,
      sessionId: 'ses_phone',
      reason: 'REVOKED',
      endedAt: new Date(NOW.getTime() + 60_000),
      actor: { id: 'acc_kari', type: 'account' },
    });
    expect(revoked).toEqual([]);
    expect(await devices.findById(tenantA, 'dev_kari')).toEqual(byOwner);
  });

  it.each<[string, Caller, string, string]>([
    ['an anonymous caller', { roles: [] }, 'dev_kari', 'UNAUTHENTICATED'],
    ['an unknown device', kari, 'dev_nobody', 'NOT_FOUND'],
    ["another account's device", kari, 'dev_ola', 'NOT_FOUND'],
    ["a device of another tenant's account", { ...kari, tenantId: tenantB }, 'dev_kari', 'NOT_FOUND'],
    [
      'an administrator of another tenant',
      { tenantId: tenantB, accountId: 'acc_admin', roles: [Role.TENANT_ADMIN] },
      'dev_kari',
      'NOT_FOUND',
    ],
    [
      'a support agent of another tenant, even with a reason',
      { tenantId: tenantB, accountId: 'acc_agent', roles: [Role.SUPPORT_AGENT] },
      'dev_kari',
      'NOT_FOUND',
    ],
    [
      'a support agent of another tenant naming the tenant',
      { tenantId: tenantB, accountId: 'acc_agent', roles: [Role.SUPPORT_AGENT], tenantIdInput: 'ten_a' } as Caller,
      'dev_kari',
      'NOT_FOUND',
    ],
    ['a recovery session of its owner', { ...kari, restricted: true }, 'dev_kari', 'RESTRICTED_SESSION'],
  ])('refuses %s and changes nothing', async (_who, caller, deviceId, code) => {
    const { deps, devices } = await setup();
    const tenantId = (caller as { tenantIdInput?: string }).tenantIdInput;
    expect(await codeOf(revokeDevice(deps, caller, { deviceId, reason: 'asked to', ...(tenantId ? { tenantId } : {}) }))).toBe(
      code,
    );
    expect(devices.published).toEqual([]);
    expect((await devices.findById(tenantA, 'dev_kari'))?.revokedAt).toBeNull();
  });

  it.each([
    ['blank', '  '],
    ['too long', 'x'.repeat(201)],
  ])('refuses a %s reason as BAD_USER_INPUT on reason', async (_what, reason) => {
    const { deps, devices } = await setup();
    await expect(revokeDevice(deps, kari, { deviceId: 'dev_kari', reason })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'reason' },
    });
    expect(devices.published).toEqual([]);
  });
});

describe('revokeDevice, by staff', () => {
  const admin: Caller = { tenantId: tenantA, accountId: 'acc_admin', roles: [Role.TENANT_ADMIN], clientIp: '198.51.100.1' };
  const agent: Caller = { tenantId: tenantA, accountId: 'acc_agent', roles: [Role.SUPPORT_AGENT] };
  const platformSupport: Caller = { tenantId: PLATFORM_TENANT.id, accountId: 'acc_help', roles: [Role.SUPPORT_AGENT] };

  it.each<[string, Caller, string, string | undefined]>([
    ['an administrator of its tenant', admin, 'TENANT_ADMIN', undefined],
    ['a support agent of its tenant', agent, 'SUPPORT', undefined],
    ['platform support, naming the tenant', platformSupport, 'SUPPORT', 'ten_a'],
  ])('%s revokes it with a reason, recorded as theirs, and frees its slot', async (_who, caller, kind, tenantId) => {
    const { deps, devices, slots } = await setup();
    const revoked = await revokeDevice(deps, caller, {
      deviceId: 'dev_kari',
      reason: ' reported  stolen ',
      ...(tenantId ? { tenantId } : {}),
    });
    expect(revoked).toMatchObject({
      revokedAt: NOW,
      revokedBy: { kind, accountId: caller.accountId },
      revocationReason: 'reported stolen',
    });
    expect(devices.published[0]).toMatchObject({
      type: 'device.device.revoked',
      actorid: caller.accountId,
      actortype: kind === 'TENANT_ADMIN' ? 'tenant_admin' : 'operator',
      actorreason: 'reported stolen',
    });
    expect(slots.claims.size).toBe(0);
  });

  it.each<[string, string | undefined]>([
    ['no reason', undefined],
    ['a reason under 3 characters', 'no'],
  ])('refuses %s from staff as BAD_USER_INPUT on reason, and changes nothing', async (_what, reason) => {
    const { deps, devices } = await setup();
    for (const caller of [admin, agent]) {
      await expect(revokeDevice(deps, caller, { deviceId: 'dev_kari', reason })).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        details: { field: 'reason' },
      });
    }
    expect(devices.published).toEqual([]);
  });

  it('frees the slot of an owner-revoked device too, and only that one', async () => {
    const { deps, slots } = await setup();
    await slots.claim(tenantA, 'acc_kari', 1, 'dev_other', NOW);
    await revokeDevice(deps, kari, { deviceId: 'dev_kari' });
    expect([...slots.claims.values()].map((claim) => claim.deviceId)).toEqual(['dev_other']);
  });
});

describe("listing an account's devices", () => {
  it('shows the trusted ones, or all with includeRevoked, newest first; nothing to other callers', async () => {
    const { deps, devices } = await setup();
    await devices.insert(device('dev_kari_2', { name: 'Laptop' }), []);
    await revokeDevice(deps, kari, { deviceId: 'dev_kari' });
    const account = { tenantId: tenantA, id: 'acc_kari' };
    const ids = async (caller: Caller, includeRevoked: boolean) =>
      (await listDevices(devices, caller, account, { includeRevoked })).map((d) => d._id);

    expect(await ids(kari, false)).toEqual(['dev_kari_2']);
    expect(await ids(kari, true)).toEqual(['dev_kari_2', 'dev_kari']);
    expect(await ids({ tenantId: tenantA, accountId: 'acc_admin', roles: [Role.TENANT_ADMIN] }, true)).toEqual([
      'dev_kari_2',
      'dev_kari',
    ]);
    expect(await ids({ tenantId: tenantA, accountId: 'acc_ola', roles: [] }, true)).toEqual([]);
    expect(await ids({ roles: [] }, true)).toEqual([]);
  });
});
