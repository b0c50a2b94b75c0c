import { PLATFORM_TENANT, Role, type Caller } from '@messngr/kit';
import type { DeviceDocument } from '../persistence/device.model';
import { findReadableDevice } from './readable-device';

const device = { _id: 'dev_1', tenantId: 'ten_a', accountId: 'acc_kari' } as DeviceDocument;
const devices = {
  findById: async (tenantId: string, id: string) => (tenantId === device.tenantId && id === device._id ? device : null),
  findByIdInAnyTenant: async (id: string) => (id === device._id ? device : null),
};

describe('resolving a Device reference', () => {
  it.each<[string, Caller, boolean]>([
    ['its owner', { tenantId: 'ten_a', accountId: 'acc_kari', roles: [] }, true],
    ['an administrator of its tenant', { tenantId: 'ten_a', accountId: 'acc_admin', roles: [Role.TENANT_ADMIN] }, true],
    ['a platform administrator', { tenantId: PLATFORM_TENANT.id, accountId: 'acc_root', roles: [Role.PLATFORM_ADMIN] }, true],
    ['another member of its tenant', { tenantId: 'ten_a', accountId: 'acc_ola', roles: [] }, false],
    ['an administrator of another tenant', { tenantId: 'ten_b', accountId: 'acc_admin', roles: [Role.TENANT_ADMIN] }, false],
    ['an anonymous caller', { roles: [] }, false],
  ])('%s sees it: %s', async (_who, caller, visible) => {
    expect(await findReadableDevice(devices, caller, 'dev_1')).toBe(visible ? device : null);
  });
});
