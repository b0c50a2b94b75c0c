import type { Caller } from '@messngr/kit/auth';
import { asTenantId, PLATFORM_TENANT, Role } from '@messngr/kit/core';
import type { ScopedReadsById } from '@messngr/kit/mongo';
import type { DeviceDocument } from '../persistence/device.model';
import { findReadableDevice } from './device-access';

const tenantA = asTenantId('ten_a');
const tenantB = asTenantId('ten_b');
const device = { _id: 'dev_1', tenantId: tenantA, accountId: 'acc_kari' } as DeviceDocument;
const devices: ScopedReadsById<DeviceDocument> = {
  findById: async (tenantId, id) => (tenantId === device.tenantId && id === device._id ? device : null),
  acrossTenants: () => ({ findById: async (id) => (id === device._id ? device : null) }),
};

describe('resolving a Device reference', () => {
  it.each<[string, Caller, boolean]>([
    ['its owner', { tenantId: tenantA, accountId: 'acc_kari', roles: [] }, true],
    ['an administrator of its tenant', { tenantId: tenantA, accountId: 'acc_admin', roles: [Role.TENANT_ADMIN] }, true],
    ['a platform administrator', { tenantId: PLATFORM_TENANT.id, accountId: 'acc_root', roles: [Role.PLATFORM_ADMIN] }, true],
    ['another member of its tenant', { tenantId: tenantA, accountId: 'acc_ola', roles: [] }, false],
    ['an administrator of another tenant', { tenantId: tenantB, accountId: 'acc_admin', roles: [Role.TENANT_ADMIN] }, false],
    ['an anonymous caller', { roles: [] }, false],
  ])('%s sees it: %s', async (_who, caller, visible) => {
    expect(await findReadableDevice(devices, caller, 'dev_1')).toBe(visible ? device : null);
  });

  it('answers an absent device like one the caller may not see', async () => {
    expect(await findReadableDevice(devices, { tenantId: tenantA, accountId: 'acc_kari', roles: [] }, 'dev_2')).toBeNull();
  });
});
