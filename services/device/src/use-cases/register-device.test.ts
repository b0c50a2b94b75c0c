import { createHash } from 'node:crypto';
import type { DataOf, EventEnvelope } from '@messngr/contracts';
import type { Caller } from '@messngr/kit/auth';
import { asTenantId, PLATFORM_TENANT, Role } from '@messngr/kit/core';
import { DomainError } from '@messngr/kit/errors';
import { outboxFields, withSequence, type NewAggregate, type ScopedReadsById } from '@messngr/kit/mongo';
import type { AccountReplicaDocument } from '../persistence/account-replica.model';
import type { DeviceDocument } from '../persistence/device.model';
import { registerDevice, type RegisterDeviceCommand, type RegisterDeviceDependencies } from './register-device';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const tenantA = asTenantId('ten_a');
const tenantB = asTenantId('ten_b');
const kari: AccountReplicaDocument = { _id: 'acc_kari', tenantId: tenantA, sequence: 1000 };
const ola: AccountReplicaDocument = { _id: 'acc_ola', tenantId: tenantB, sequence: 1000 };

function setup() {
  const inserted: { device: DeviceDocument; events: EventEnvelope[] }[] = [];
  const replicas = [kari, ola];
  const accounts: ScopedReadsById<AccountReplicaDocument> = {
    findById: async (tenantId, id) => replicas.find((account) => account.tenantId === tenantId && account._id === id) ?? null,
    acrossTenants: () => ({ findById: async (id) => replicas.find((account) => account._id === id) ?? null }),
  };
  const deps: RegisterDeviceDependencies = {
    clock: { now: () => NOW },
    accounts,
    devices: {
      // Like the store: version 1, events stamped with their sequence and pending in the outbox.
      insert: async (device: NewAggregate<DeviceDocument>, events: EventEnvelope[]) => {
        const stored: DeviceDocument = { ...device, version: 1, ...outboxFields(withSequence(events, 1), null, NOW) };
        inserted.push({ device: stored, events });
        return stored;
      },
    },
  };
  return { deps, inserted };
}

const asKari: Caller = { tenantId: tenantA, accountId: 'acc_kari', roles: [] };
const command: RegisterDeviceCommand = { name: '  Pixel   8 ', platform: 'ANDROID', publicKey: 'test-public-key' };

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'UNEXPECTED';
  }
}

describe('registerDevice', () => {
  it("registers a device for the caller's own account and records the event without key material", async () => {
    const { deps, inserted } = setup();
    const device = await registerDevice(deps, asKari, command);

    expect(device).toMatchObject({
      tenantId: 'ten_a',
      accountId: 'acc_kari',
      name: 'Pixel 8',
      platform: 'ANDROID',
      publicKeyFingerprint: createHash('sha256').update('test-public-key').digest('hex'),
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
    expect(JSON.stringify(event)).not.toContain('test-public-key');
  });

  it('keeps no fingerprint when no key is submitted', async () => {
    const { deps } = setup();
    const device = await registerDevice(deps, asKari, { name: 'Laptop', platform: 'DESKTOP', publicKey: null });
    expect(device.publicKeyFingerprint).toBeNull();
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
    ['an account of another tenant', asKari, 'acc_ola', 'NOT_FOUND'],
    ['an unknown account', asKari, 'acc_nobody', 'NOT_FOUND'],
  ])('refuses %s', async (_what, caller, accountId, code) => {
    const { deps, inserted } = setup();
    expect(await codeOf(registerDevice(deps, caller, { ...command, accountId }))).toBe(code);
    expect(inserted).toHaveLength(0);
  });

  it.each([
    ['a blank name', { name: '   ' }, 'name'],
    ['a name over 64 characters', { name: 'x'.repeat(65) }, 'name'],
    ['a public key over 4096 characters', { publicKey: 'k'.repeat(4097) }, 'publicKey'],
  ])('refuses %s as BAD_USER_INPUT on its field', async (_what, change: Partial<RegisterDeviceCommand>, field: string) => {
    const { deps } = setup();
    await expect(registerDevice(deps, asKari, { ...command, ...change })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field },
    });
  });
});
