import type { AuditDependencies } from '../dependencies';
import type { Resolvers } from '../generated/resolvers-types';
import { accountResolvers } from './account';
import { auditEntryResolvers } from './audit-entry';
import { tenantResolvers } from './tenant';

export function createResolvers({ entries }: AuditDependencies): Resolvers {
  return {
    AuditEntry: auditEntryResolvers(entries),
    Account: accountResolvers(entries),
    Tenant: tenantResolvers(entries),
  };
}
