import { createHash } from 'node:crypto';
import { DomainError, Role, type Caller, type EventEnvelope } from '@messngr/kit';
import type { DeviceRegisteredData } from '../events/device-events';
import type { AccountReplicaDocument } from '../persistence/account-replica.model';
import type { DeviceDocument } from '../persistence/device.model';
import { registerDevice, type RegisterDeviceCommand } from './register-device';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const kari: AccountReplicaDocument = { _id: 'acc_kari', tenantId: 'ten_a', lastEventId: 'evt_1' };
const ola: AccountReplicaDocument = { _id: 'acc_ola', tenantId: 'ten_b', lastEventId: 'evt_2' };

function setup() {
  const inserted: { device: DeviceDocument; events: EventEnvelope<unknown>[] }[] = [];
  const deps = {
    clock: { now: () => NOW },
    accounts: { findById: async (id: string) => [kari, ola].find((account) => account._id === id) ?? null },
    devices: {
      insert: async (
        device: Omit<DeviceDocument, 'version' | 'pendingEvents' | 'outboxPending'>,
        events: EventEnvelope<unknown>[],
      ) => {
        const stored = { ...device, version: 1, pendingEvents: events, outboxPending: events.length > 0 };
        inserted.push({ device: stored, events });
        return stored;
      },
    },
  };
  return { deps, inserted };
}

const asKari: Caller = { tenantId: 'ten_a', accountId: 'acc_kari', roles: [] };
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
    const [event] = inserted[0]!.events as EventEnvelope<DeviceRegisteredData>[];
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
    const admin: Caller = { tenantId: 'ten_a', accountId: 'acc_admin', roles: [Role.TENANT_ADMIN] };
    const device = await registerDevice(deps, admin, { ...command, accountId: 'acc_kari' });
    expect(device.accountId).toBe('acc_kari');
  });

  it.each([
    ['an anonymous caller', { roles: [] }, 'acc_kari', 'UNAUTHENTICATED'],
    ['another member of the tenant', { tenantId: 'ten_a', accountId: 'acc_other', roles: [] }, 'acc_kari', 'FORBIDDEN'],
    ['an account of another tenant', asKari, 'acc_ola', 'NOT_FOUND'],
    ['an unknown account', asKari, 'acc_nobody', 'NOT_FOUND'],
  ])('refuses %s', async (_what, caller: Caller, accountId: string, code: string) => {
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
