import { PLATFORM_TENANT, Role, type Caller } from '@messngr/kit';
import { canReadAuditEntry } from './audit-access';

const aboutKari = { tenantId: 'ten_a', accountId: 'acc_kari' };
const aboutTenant = { tenantId: 'ten_a', accountId: null };

describe('who reads an audit entry', () => {
  it.each<[string, Caller, boolean, boolean]>([
    ['the account it is about', { tenantId: 'ten_a', accountId: 'acc_kari', roles: [] }, true, false],
    ['another member of the tenant', { tenantId: 'ten_a', accountId: 'acc_ola', roles: [] }, false, false],
    ['an administrator of the tenant', { tenantId: 'ten_a', accountId: 'acc_admin', roles: [Role.TENANT_ADMIN] }, true, true],
    [
      'an administrator of another tenant',
      { tenantId: 'ten_b', accountId: 'acc_kari', roles: [Role.TENANT_ADMIN] },
      false,
      false,
    ],
    [
      'a platform administrator',
      { tenantId: PLATFORM_TENANT.id, accountId: 'acc_root', roles: [Role.PLATFORM_ADMIN] },
      true,
      true,
    ],
    ['an anonymous caller', { roles: [] }, false, false],
  ])('%s: account entry %s, tenant entry %s', (_who, caller, account, tenant) => {
    expect(canReadAuditEntry(caller, aboutKari)).toBe(account);
    expect(canReadAuditEntry(caller, aboutTenant)).toBe(tenant);
  });
});
