import { canAdministerTenant, canReadAccount, ForbiddenError, isPlatformAdmin, pageRequest, toPage } from '@messngr/kit';
import { auditSummary } from '../domain/audit-summary';
import type { Resolvers } from '../generated/resolvers-types';
import type { AuditEntryRepository } from '../persistence/audit-entry.repository';

export function createResolvers(entries: AuditEntryRepository): Resolvers {
  return {
    AuditEntry: {
      __resolveReference: async (reference, { caller }) => {
        const entry = isPlatformAdmin(caller)
          ? await entries.findByIdInAnyTenant(reference.id)
          : caller.tenantId
            ? await entries.findById(caller.tenantId, reference.id)
            : null;
        return entry && canAdministerTenant(caller, entry.tenantId) ? entry : null;
      },
      id: (entry) => entry._id,
      actorType: (entry) => (entry.actorType ? (entry.actorType.toUpperCase() as 'ACCOUNT' | 'OPERATOR' | 'SYSTEM') : null),
      summary: (entry) => auditSummary(entry.type, entry.data),
    },
    Account: {
      __resolveReference: (reference) => reference,
      activity: async (account, { first, after }, { caller }) => {
        if (!canReadAccount(caller, account.tenantId, account.id))
          throw new ForbiddenError('Not allowed to read this account’s activity.');
        const page = pageRequest(first, after);
        const found = await entries.newestFirst(account.tenantId, { accountId: account.id }, page.limit + 1, page.after);
        return toPage(found, page.limit, (entry) => entry._id);
      },
    },
    Tenant: {
      __resolveReference: (reference) => reference,
      auditLog: async (tenant, { first, after }, { caller }) => {
        if (!canAdministerTenant(caller, tenant.id))
          throw new ForbiddenError('Only administrators of this tenant may read its audit log.');
        const page = pageRequest(first, after);
        const found = await entries.newestFirst(tenant.id, {}, page.limit + 1, page.after);
        return toPage(found, page.limit, (entry) => entry._id);
      },
    },
  };
}
