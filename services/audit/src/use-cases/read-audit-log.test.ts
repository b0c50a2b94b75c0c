import type { Caller } from '@messngr/kit/auth';
import { asTenantId, newId, PLATFORM_TENANT, Role, type TenantId } from '@messngr/kit/core';
import { DomainError } from '@messngr/kit/errors';
import type { AuditEntryDocument } from '../persistence/audit-entry.model';
import type { IdRange } from '../persistence/audit-entry.repository';
import { readAuditLog } from './read-audit-log';

const START = Date.parse('2026-11-01T00:00:00.000Z');
const HOUR = 3600_000;

function entry(hour: number, fields: Partial<AuditEntryDocument>): AuditEntryDocument {
  const time = new Date(START + hour * HOUR);
  return {
    _id: newId('evt', time.getTime()),
    tenantId: asTenantId('ten_a'),
    accountId: null,
    type: 'identity.session.started',
    source: '/messngr/identity',
    subject: 's',
    actorId: null,
    actorType: null,
    time,
    recordedAt: time,
    data: {},
    ...fields,
  };
}

const stored = [
  entry(0, { accountId: 'acc_kari', actorId: 'acc_kari', type: 'identity.session.started' }),
  entry(1, { accountId: 'acc_kari', actorId: 'acc_agent', actorType: 'operator', type: 'identity.session.revoked' }),
  entry(2, { accountId: 'acc_ola', actorId: 'acc_ola', type: 'identity.identity.linked' }),
  entry(3, { accountId: 'acc_kari', actorId: 'acc_kari', type: 'identity.identity.linked' }),
  entry(4, { tenantId: asTenantId('ten_b'), accountId: 'acc_kari', type: 'identity.identity.linked' }),
  entry(5, { accountId: null, actorId: 'acc_admin', type: 'tenant.tenant.policy_updated' }),
];

/** Behaves like the repository: tenant scope, equalities, `_id` range and cursor, newest first. */
const queries: { filter: Record<string, unknown> }[] = [];
const entries = {
  newestFirst: async (
    tenantId: TenantId,
    filter: Record<string, unknown>,
    limit: number,
    before: string | null,
    range: IdRange = {},
  ) => {
    queries.push({ filter });
    return stored
      .filter((e) => e.tenantId === tenantId)
      .filter((e) => Object.entries(filter).every(([k, v]) => (e as unknown as Record<string, unknown>)[k] === v))
      .filter(
        (e) => (before === null || e._id < before) && (!range.$lt || e._id < range.$lt) && (!range.$gte || e._id >= range.$gte),
      )
      .sort((a, b) => (a._id < b._id ? 1 : -1))
      .slice(0, limit);
  },
};

const admin: Caller = { tenantId: asTenantId('ten_a'), accountId: 'acc_admin', roles: [Role.TENANT_ADMIN] };
const agent: Caller = { tenantId: asTenantId('ten_a'), accountId: 'acc_agent', roles: [Role.SUPPORT_AGENT] };
const platformSupport: Caller = { tenantId: PLATFORM_TENANT.id, accountId: 'acc_ps', roles: [Role.SUPPORT_AGENT] };
const ids = (page: { edges: { node: AuditEntryDocument }[] }) => page.edges.map((edge) => stored.indexOf(edge.node));

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) =>
      error instanceof DomainError
        ? `${error.code}${error.details?.['field'] ? `:${String(error.details['field'])}` : ''}`
        : 'UNEXPECTED',
  );
}

describe('the audit log', () => {
  it('filters by account, actor, types and time, newest first, within the tenant', async () => {
    expect(ids(await readAuditLog(entries, admin, 'ten_a', {}, {}))).toEqual([5, 3, 2, 1, 0]);
    expect(ids(await readAuditLog(entries, admin, 'ten_a', { account: 'acc_kari' }, {}))).toEqual([3, 1, 0]);
    expect(ids(await readAuditLog(entries, admin, 'ten_a', { actor: 'acc_agent' }, {}))).toEqual([1]);
    const types = ['identity.identity.linked', 'identity.session.started'];
    expect(ids(await readAuditLog(entries, admin, 'ten_a', { types }, {}))).toEqual([3, 2, 0]);
    expect(ids(await readAuditLog(entries, admin, 'ten_a', { account: 'acc_kari', types }, {}))).toEqual([3, 0]);
    const from = new Date(START + 1 * HOUR);
    const to = new Date(START + 3 * HOUR);
    expect(ids(await readAuditLog(entries, admin, 'ten_a', { from, to }, {}))).toEqual([3, 2, 1]);
    expect(ids(await readAuditLog(entries, admin, 'ten_a', { from: from.toISOString(), account: 'acc_kari' }, {}))).toEqual([
      3, 1,
    ]);
  });

  it('asks one indexed query per type, each with the tenant and one equality', async () => {
    queries.length = 0;
    await readAuditLog(entries, admin, 'ten_a', { account: 'acc_kari', types: ['a.b.c', 'd.e.f', 'a.b.c'] }, {});
    expect(queries.map((q) => q.filter)).toEqual([
      { accountId: 'acc_kari', type: 'a.b.c' },
      { accountId: 'acc_kari', type: 'd.e.f' },
    ]);
  });

  it('pages with cursors through merged types', async () => {
    const types = ['identity.identity.linked', 'identity.session.started'];
    const first = await readAuditLog(entries, admin, 'ten_a', { types }, { first: 2 });
    expect(ids(first)).toEqual([3, 2]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await readAuditLog(entries, admin, 'ten_a', { types }, { first: 2, after: first.pageInfo.endCursor });
    expect(ids(second)).toEqual([0]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it("is for the tenant's administrators and support agents and for platform support", async () => {
    for (const caller of [admin, agent, platformSupport])
      expect(ids(await readAuditLog(entries, caller, 'ten_a', {}, {}))).toHaveLength(5);
    expect(ids(await readAuditLog(entries, platformSupport, 'ten_b', {}, {}))).toEqual([4]);
  });

  it.each<[string, Caller]>([
    ['a plain member', { tenantId: asTenantId('ten_a'), accountId: 'acc_kari', roles: [] }],
    ["another tenant's administrator", { tenantId: asTenantId('ten_b'), accountId: 'acc_x', roles: [Role.TENANT_ADMIN] }],
    ["another tenant's support agent", { tenantId: asTenantId('ten_b'), accountId: 'acc_y', roles: [Role.SUPPORT_AGENT] }],
    ['a restricted (recovery) session of an admin', { ...admin, restricted: true }],
    ['an anonymous caller', { roles: [] }],
  ])('is FORBIDDEN to %s', async (_who, caller) => {
    expect(await codeOf(readAuditLog(entries, caller, 'ten_a', {}, {}))).toBe('FORBIDDEN');
  });

  it('refuses malformed filters as BAD_USER_INPUT naming the field', async () => {
    expect(await codeOf(readAuditLog(entries, admin, 'ten_a', { types: ['nope'] }, {}))).toBe('BAD_USER_INPUT:filter.types');
    const many = Array.from({ length: 11 }, (_, i) => `a.b.c${'x'.repeat(i)}`);
    expect(await codeOf(readAuditLog(entries, admin, 'ten_a', { types: many }, {}))).toBe('BAD_USER_INPUT:filter.types');
    expect(await codeOf(readAuditLog(entries, admin, 'ten_a', { from: 'yesterday' }, {}))).toBe('BAD_USER_INPUT:filter.from');
    const later = new Date(START + HOUR);
    expect(await codeOf(readAuditLog(entries, admin, 'ten_a', { from: later, to: new Date(START) }, {}))).toBe(
      'BAD_USER_INPUT:filter.from',
    );
    expect(await codeOf(readAuditLog(entries, admin, 'ten_a', {}, { first: 0 }))).toBe('BAD_USER_INPUT:first');
  });
});
