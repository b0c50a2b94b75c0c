import type { TenantResolvers } from '../generated/resolvers-types';
import type { AuditEntryRepository } from '../persistence/audit-entry.repository';
import { readTenantAuditLog } from '../use-cases/read-tenant-audit-log';

export function tenantResolvers(entries: AuditEntryRepository): TenantResolvers {
  return {
    __resolveReference: (reference) => reference,
    auditLog: (tenant, args, { caller }) => readTenantAuditLog(entries, caller, tenant, args),
  };
}
