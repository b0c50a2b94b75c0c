import type { Caller } from '@messngr/kit/auth';
import { asTenantId, PLATFORM_TENANT, Role } from '@messngr/kit/core';
import type { ScopedReadsById } from '@messngr/kit/mongo';
import type { AuditEntryDocument } from '../persistence/audit-entry.model';
import { canReadAuditEntry, findReadableAuditEntry } from './audit-access';

const tenantA = asTenantId('ten_a');
const tenantB = asTenantId('ten_b');
const aboutKari = { tenantId: tenantA, accountId: 'acc_kari' };
const aboutTenant = { tenantId: tenantA, accountId: null };

const callers: [string, Caller, boolean, boolean][] = [
  ['the account it is about', { tenantId: tenantA, accountId: 'acc_kari', roles: [] }, true, false],
  ['another member of the tenant', { tenantId: tenantA, accountId: 'acc_ola', roles: [] }, false, false],
  ['an administrator of the tenant', { tenantId: tenantA, accountId: 'acc_admin', roles: [Role.TENANT_ADMIN] }, true, true],
  ['an administrator of another tenant', { tenantId: tenantB, accountId: 'acc_kari', roles: [Role.TENANT_ADMIN] }, false, false],
  ['a platform administrator', { tenantId: PLATFORM_TENANT.id, accountId: 'acc_root', roles: [Role.PLATFORM_ADMIN] }, true, true],
  ['an anonymous caller', { roles: [] }, false, false],
];

describe('who reads an audit entry', () => {
  it.each(callers)('%s: account entry %s, tenant entry %s', (_who, caller, account, tenant) => {
    expect(canReadAuditEntry(caller, aboutKari)).toBe(account);
    expect(canReadAuditEntry(caller, aboutTenant)).toBe(tenant);
  });
});

describe('resolving an AuditEntry reference', () => {
  function entry(id: string, accountId: string | null): AuditEntryDocument {
    return {
      _id: id,
      tenantId: tenantA,
      accountId,
      type: 'device.device.registered',
      source: '/messngr/device',
      subject: 'dev_1',
      actorId: null,
      actorType: null,
      time: new Date('2026-11-23T10:00:00.000Z'),
      recordedAt: new Date('2026-11-23T10:00:05.000Z'),
      data: {},
    };
  }
  const stored = [entry('evt_kari', 'acc_kari'), entry('evt_tenant', null)];
  const entries: ScopedReadsById<AuditEntryDocument> = {
    findById: async (tenantId, id) => stored.find((e) => e.tenantId === tenantId && e._id === id) ?? null,
    acrossTenants: () => ({ findById: async (id) => stored.find((e) => e._id === id) ?? null }),
  };

  it.each(callers)('%s finds the account entry %s, the tenant entry %s', async (_who, caller, account, tenant) => {
    expect(await findReadableAuditEntry(entries, caller, 'evt_kari')).toBe(account ? stored[0] : null);
    expect(await findReadableAuditEntry(entries, caller, 'evt_tenant')).toBe(tenant ? stored[1] : null);
  });

  it('answers an absent entry like one the caller may not see', async () => {
    const admin: Caller = { tenantId: tenantA, accountId: 'acc_admin', roles: [Role.TENANT_ADMIN] };
    expect(await findReadableAuditEntry(entries, admin, 'evt_none')).toBeNull();
  });
});
