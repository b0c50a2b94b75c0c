import type { DataOf, EventEnvelope } from '@messngr/contracts';
import type { Caller } from '@messngr/kit/auth';
import { asTenantId, PLATFORM_TENANT, Role } from '@messngr/kit/core';
import { DomainError } from '@messngr/kit/errors';
import { outboxFields, withSequence, type NewAggregate, type ScopedReadsById } from '@messngr/kit/mongo';
import type { AccountReplicaDocument } from '../persistence/account-replica.model';
import { UNCOUNTED } from '../device-metrics';
import { InMemoryDeviceSlots } from '../persistence/in-memory-device-slots';
import type { DeviceDocument } from '../persistence/device.model';
import { registerDevice, type RegisterDeviceCommand, type RegisterDeviceDependencies } from './register-device';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const tenantA = asTenantId('ten_a');
const tenantB = asTenantId('ten_b');
const kari: AccountReplicaDocument = { _id: 'acc_kari', tenantId: tenantA, sequence: 1000 };
const ola: AccountReplicaDocument = { _id: 'acc_ola', tenantId: tenantB, sequence: 1000 };

// RFC 8037 Appendix A.2's public key and (A.3) its thumbprint.
const JWK = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
const THUMBPRINT = 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k';

function setup(maxActiveDevices = 20) {
  const inserted: { device: DeviceDocument; events: EventEnvelope[] }[] = [];
  const slots = new InMemoryDeviceSlots();
  const replicas = [kari, ola];
  const accounts: ScopedReadsById<AccountReplicaDocument> = {
    findById: async (tenantId, id) => replicas.find((account) => account.tenantId === tenantId && account._id === id) ?? null,
    acrossTenants: () => ({ findById: async (id) => replicas.find((account) => account._id === id) ?? null }),
  };
  const deps: RegisterDeviceDependencies = {
    clock: { now: () => NOW },
    accounts,
    slots,
    maxActiveDevices,
    metrics: UNCOUNTED,
    devices: {
      byIds: async (_tenantId, ids) => inserted.map((entry) => entry.device).filter((device) => ids.includes(device._id)),
      // Like the store: version 1, events stamped with their sequence and pending in the outbox.
      insert: async (device: NewAggregate<DeviceDocument>, events: EventEnvelope[]) => {
        const stored: DeviceDocument = { ...device, version: 1, ...outboxFields(withSequence(events, 1), null, NOW) };
        inserted.push({ device: stored, events });
        return stored;
      },
    },
  };
  return { deps, inserted, slots };
}

const asKari: Caller = { tenantId: tenantA, accountId: 'acc_kari', roles: [] };
const command: RegisterDeviceCommand = { name: '  Pixel   8 ', platform: 'ANDROID', appVersion: ' 4.2.1 ', publicKey: JWK };

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'UNEXPECTED';
  }
}

describe('registerDevice', () => {
  it("registers a device for the caller's own account in a slot, and records the event without key material", async () => {
    const { deps, inserted, slots } = setup();
    const device = await registerDevice(deps, asKari, command);

    expect(device).toMatchObject({
      tenantId: 'ten_a',
      accountId: 'acc_kari',
      name: 'Pixel 8',
      platform: 'ANDROID',
      appVersion: '4.2.1',
      publicKey: JWK,
      publicKeyFingerprint: THUMBPRINT,
      registeredAt: NOW,
      lastHandshakeAt: null,
      revokedAt: null,
    });
    expect(device._id).toMatch(/^dev_/);
    const [event] = inserted[0]!.events as EventEnvelope<DataOf<'device.device.registered'>>[];
    expect(event).toMatchObject({
      type: 'device.device.registered',
      subject: device._id,
      partitionkey: 'acc_kari',
      tenantid: 'ten_a',
      accountid: 'acc_kari',
      actorid: 'acc_kari',
      actortype: 'account',
      data: {
        device: { id: device._id, accountId: 'acc_kari', name: 'Pixel 8', platform: 'ANDROID', registeredAt: NOW.toISOString() },
      },
    });
    expect(JSON.stringify(event)).not.toContain(JWK.x);
    expect([...slots.claims.values()]).toEqual([expect.objectContaining({ slot: device.slot, deviceId: device._id })]);
  });

  it('keeps no fingerprint when no key is submitted', async () => {
    const { deps } = setup();
    const device = await registerDevice(deps, asKari, { name: 'Laptop', platform: 'DESKTOP', publicKey: null });
    expect(device).toMatchObject({ publicKeyFingerprint: null, publicKey: null, appVersion: null });
  });

  it('lets a tenant administrator register for another account of the tenant', async () => {
    const { deps } = setup();
    const admin: Caller = { tenantId: tenantA, accountId: 'acc_admin', roles: [Role.TENANT_ADMIN] };
    const device = await registerDevice(deps, admin, { ...command, accountId: 'acc_kari' });
    expect(device.accountId).toBe('acc_kari');
  });

  it("lets a platform administrator register for an account of any tenant, in the account's tenant", async () => {
    const { deps, inserted } = setup();
    const root: Caller = { tenantId: PLATFORM_TENANT.id, accountId: 'acc_root', roles: [Role.PLATFORM_ADMIN] };
    const device = await registerDevice(deps, root, { ...command, accountId: 'acc_ola' });
    expect(device).toMatchObject({ tenantId: 'ten_b', accountId: 'acc_ola' });
    expect(inserted[0]!.events[0]).toMatchObject({ tenantid: 'ten_b', accountid: 'acc_ola', actorid: 'acc_root' });
  });

  it.each<[string, Caller, string, string]>([
    ['an anonymous caller', { roles: [] }, 'acc_kari', 'UNAUTHENTICATED'],
    ['another member of the tenant', { tenantId: tenantA, accountId: 'acc_other', roles: [] }, 'acc_kari', 'FORBIDDEN'],
    [
      'a support agent of the tenant',
      { tenantId: tenantA, accountId: 'acc_agent', roles: [Role.SUPPORT_AGENT] },
      'acc_kari',
      'FORBIDDEN',
    ],
    [
      'platform support',
      { tenantId: PLATFORM_TENANT.id, accountId: 'acc_help', roles: [Role.SUPPORT_AGENT] },
      'acc_kari',
      'NOT_FOUND',
    ],
    ['an account of another tenant', asKari, 'acc_ola', 'NOT_FOUND'],
    ['an unknown account', asKari, 'acc_nobody', 'NOT_FOUND'],
  ])('refuses %s', async (_what, caller, accountId, code) => {
    const { deps, inserted } = setup();
    expect(await codeOf(registerDevice(deps, caller, { ...command, accountId }))).toBe(code);
    expect(inserted).toHaveLength(0);
  });

  it.each<[string, Partial<RegisterDeviceCommand>, string]>([
    ['a blank name', { name: '   ' }, 'name'],
    ['a name over 64 characters', { name: 'x'.repeat(65) }, 'name'],
    ['an app version over 32 characters', { appVersion: '1'.repeat(33) }, 'appVersion'],
    ['an app version with a control character', { appVersion: '1.0\u0007' }, 'appVersion'],
    ['a private key', { publicKey: { ...JWK, d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A' } }, 'publicKey.d'],
    ['a P-256 key', { publicKey: { kty: 'EC', crv: 'P-256', x: JWK.x } }, 'publicKey.kty'],
    ['a short key', { publicKey: { ...JWK, x: 'AAAA' } }, 'publicKey.x'],
  ])('refuses %s as BAD_USER_INPUT on its field, and takes no slot', async (_what, change, field) => {
    const { deps, slots } = setup();
    await expect(registerDevice(deps, asKari, { ...command, ...change })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field },
    });
    expect(slots.claims.size).toBe(0);
  });

  describe('the cap on active devices', () => {
    it('refuses a registration beyond it with DEVICE_LIMIT_REACHED, and registers nothing', async () => {
      const { deps, inserted } = setup(3);
      for (let i = 0; i < 3; i += 1) await registerDevice(deps, asKari, command);
      expect(await codeOf(registerDevice(deps, asKari, command))).toBe('DEVICE_LIMIT_REACHED');
      expect(inserted).toHaveLength(3);
      expect(new Set(inserted.map((entry) => entry.device.slot))).toEqual(new Set([0, 1, 2]));
    });

    it('holds when registrations race: exactly the free slots are taken', async () => {
      const { deps, inserted, slots } = setup(20);
      for (let i = 0; i < 10; i += 1) await registerDevice(deps, asKari, command);
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => codeOf(registerDevice(deps, asKari, command))));
      expect(outcomes.filter((code) => code === undefined)).toHaveLength(10);
      expect(outcomes.filter((code) => code === 'DEVICE_LIMIT_REACHED')).toHaveLength(10);
      expect(inserted).toHaveLength(20);
      expect(slots.claims.size).toBe(20);
    });

    it('is per account', async () => {
      const { deps } = setup(1);
      await registerDevice(deps, asKari, command);
      const root: Caller = { tenantId: PLATFORM_TENANT.id, accountId: 'acc_root', roles: [Role.PLATFORM_ADMIN] };
      expect(await registerDevice(deps, root, { ...command, accountId: 'acc_ola' })).toMatchObject({
        accountId: 'acc_ola',
        slot: 0,
      });
    });

    it('frees the claims of revoked devices whose release was lost, and of registrations that never inserted', async () => {
      const { deps, inserted, slots } = setup(2);
      await registerDevice(deps, asKari, command);
      inserted[0]!.device.revokedAt = NOW;
      await slots.claim(
        tenantA,
        'acc_kari',
        inserted[0]!.device.slot === 0 ? 1 : 0,
        'dev_crashed',
        new Date(NOW.getTime() - 3_600_000),
      );
      await registerDevice(deps, asKari, command);
      await registerDevice(deps, asKari, command);
      expect(inserted).toHaveLength(3);
      expect(await codeOf(registerDevice(deps, asKari, command))).toBe('DEVICE_LIMIT_REACHED');
    });

    it('frees the slot when the device cannot be inserted', async () => {
      const { deps, slots } = setup();
      deps.devices.insert = async () => {
        throw new Error('the store is down');
      };
      await expect(registerDevice(deps, asKari, command)).rejects.toThrow('the store is down');
      expect(slots.claims.size).toBe(0);
    });
  });
});
