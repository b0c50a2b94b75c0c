import type { TenantResolvers } from '../generated/resolvers-types';
import type { AuditDependencies } from '../dependencies';
import { viewPage } from '../use-cases/entry-views';
import { readTenantAuditLog } from '../use-cases/read-tenant-audit-log';

export function tenantResolvers(deps: Pick<AuditDependencies, 'entries' | 'accounts' | 'clock'>): TenantResolvers {
  return {
    __resolveReference: (reference) => reference,
    auditLog: async (tenant, args, { caller }) =>
      viewPage(deps, caller, await readTenantAuditLog(deps.entries, caller, tenant, args), args.locale),
  };
}
