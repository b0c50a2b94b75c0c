import type { Caller } from '@messngr/kit/auth';
import { asTenantId, PLATFORM_TENANT, Role, type TenantId } from '@messngr/kit/core';
import { DomainError } from '@messngr/kit/errors';
import { decodeCursor } from '@messngr/kit/graphql';
import type { AuditEntryDocument } from '../persistence/audit-entry.model';
import { readAccountActivity } from './read-account-activity';
import { readTenantAuditLog } from './read-tenant-audit-log';

function entry(id: string, tenantId: string, accountId: string | null): AuditEntryDocument {
  const time = new Date('2026-11-23T10:00:00.000Z');
  return {
    _id: id,
    tenantId: asTenantId(tenantId),
    accountId,
    type: 'a.b.c',
    source: '/x',
    subject: 's',
    actorId: null,
    actorType: null,
    time,
    recordedAt: time,
    data: {},
  };
}

const stored = [
  entry('evt_01', 'ten_a', null),
  entry('evt_02', 'ten_a', 'acc_kari'),
  entry('evt_03', 'ten_b', 'acc_ola'),
  entry('evt_04', 'ten_a', 'acc_ola2'),
  entry('evt_05', 'ten_a', 'acc_kari'),
  entry('evt_06', 'ten_a', 'acc_kari'),
];

/** Behaves like the repository: scoped by tenant, `_id` descending, strictly older than `before`. */
const entries = {
  newestFirst: async (tenantId: TenantId, filter: { accountId?: string }, limit: number, before: string | null) =>
    stored
      .filter((e) => e.tenantId === tenantId && (filter.accountId === undefined || e.accountId === filter.accountId))
      .filter((e) => before === null || e._id < before)
      .sort((a, b) => (a._id < b._id ? 1 : -1))
      .slice(0, limit),
};

const kari: Caller = { tenantId: asTenantId('ten_a'), accountId: 'acc_kari', roles: [] };
const tenantAdmin: Caller = { tenantId: asTenantId('ten_a'), accountId: 'acc_admin', roles: [Role.TENANT_ADMIN] };
const platformAdmin: Caller = { tenantId: PLATFORM_TENANT.id, accountId: 'acc_root', roles: [Role.PLATFORM_ADMIN] };
const kariRef = { id: 'acc_kari', tenantId: 'ten_a' };

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (error instanceof DomainError ? error.code : 'UNEXPECTED'),
  );
}

describe('account activity', () => {
  it('pages through the entries about the account, newest first', async () => {
    const first = await readAccountActivity(entries, kari, kariRef, { first: 2 });
    expect(first.edges.map((edge) => edge.node._id)).toEqual(['evt_06', 'evt_05']);
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: first.edges[1]!.cursor });
    expect(decodeCursor(first.pageInfo.endCursor!)).toBe('evt_05');

    const second = await readAccountActivity(entries, kari, kariRef, { first: 2, after: first.pageInfo.endCursor });
    expect(second.edges.map((edge) => edge.node._id)).toEqual(['evt_02']);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('is readable by administrators of its tenant and platform administrators', async () => {
    for (const caller of [tenantAdmin, platformAdmin]) {
      const page = await readAccountActivity(entries, caller, kariRef, {});
      expect(page.edges).toHaveLength(3);
    }
  });

  it.each<[string, Caller]>([
    ['another member of the tenant', { tenantId: asTenantId('ten_a'), accountId: 'acc_ola2', roles: [] }],
    ['an administrator of another tenant', { tenantId: asTenantId('ten_b'), accountId: 'acc_admin', roles: [Role.TENANT_ADMIN] }],
    ['an anonymous caller', { roles: [] }],
  ])('is FORBIDDEN to %s', async (_who, caller) => {
    expect(await codeOf(readAccountActivity(entries, caller, kariRef, {}))).toBe('FORBIDDEN');
  });

  it('refuses page sizes outside 1..100 and unreadable cursors as BAD_USER_INPUT', async () => {
    expect(await codeOf(readAccountActivity(entries, kari, kariRef, { first: 101 }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(readAccountActivity(entries, kari, kariRef, { first: 0 }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(readAccountActivity(entries, kari, kariRef, { after: 'bm9wZQ' }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(readAccountActivity(entries, kari, kariRef, { first: 100 }))).toBeUndefined();
  });
});

describe('tenant audit log', () => {
  it("lists only that tenant's entries, newest first, to its administrators", async () => {
    const page = await readTenantAuditLog(entries, tenantAdmin, { id: 'ten_a' }, { first: 10 });
    expect(page.edges.map((edge) => edge.node._id)).toEqual(['evt_06', 'evt_05', 'evt_04', 'evt_02', 'evt_01']);
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect((await readTenantAuditLog(entries, platformAdmin, { id: 'ten_b' }, {})).edges).toHaveLength(1);
  });

  it('is FORBIDDEN to members and to administrators of other tenants', async () => {
    expect(await codeOf(readTenantAuditLog(entries, kari, { id: 'ten_a' }, {}))).toBe('FORBIDDEN');
    expect(await codeOf(readTenantAuditLog(entries, tenantAdmin, { id: 'ten_b' }, {}))).toBe('FORBIDDEN');
  });

  it('answers an empty page with no end cursor', async () => {
    const page = await readTenantAuditLog(entries, platformAdmin, { id: 'ten_empty' }, {});
    expect(page).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});
