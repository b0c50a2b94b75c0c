import type { Caller } from '@messngr/kit/auth';
import { asTenantId, PLATFORM_TENANT, Role } from '@messngr/kit/core';
import { registrationAccess } from './registration-access';

const account = { id: 'acc_1', tenantId: asTenantId('ten_a') };
const caller = (tenantId: string, accountId: string, roles: string[] = []): Caller => ({
  tenantId: asTenantId(tenantId),
  accountId,
  roles,
});

describe('who may register a device for an account', () => {
  it('lets the account itself and its tenant administrators register', () => {
    expect(registrationAccess(caller('ten_a', 'acc_1'), account)).toBe('allowed');
    expect(registrationAccess(caller('ten_a', 'acc_admin', [Role.TENANT_ADMIN]), account)).toBe('allowed');
    expect(registrationAccess(caller(PLATFORM_TENANT.id, 'acc_root', [Role.PLATFORM_ADMIN]), account)).toBe('allowed');
  });

  it('forbids other members of the same tenant', () => {
    expect(registrationAccess(caller('ten_a', 'acc_2'), account)).toBe('forbidden');
  });

  it('answers like an absent account for other tenants, whatever their roles there', () => {
    expect(registrationAccess(caller('ten_b', 'acc_1'), account)).toBe('not-found');
    expect(registrationAccess(caller('ten_b', 'acc_admin', [Role.TENANT_ADMIN]), account)).toBe('not-found');
    expect(registrationAccess(caller('ten_b', 'acc_x', [Role.PLATFORM_ADMIN]), account)).toBe('not-found');
    expect(registrationAccess(caller('ten_a', 'acc_1'), null)).toBe('not-found');
  });
});
