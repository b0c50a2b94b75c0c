import type { Resolvers } from '../generated/resolvers-types';
import type { AuditEntryRepository } from '../persistence/audit-entry.repository';
import { accountResolvers } from './account';
import { auditEntryResolvers } from './audit-entry';
import { tenantResolvers } from './tenant';

export function createResolvers(entries: AuditEntryRepository): Resolvers {
  return {
    AuditEntry: auditEntryResolvers(entries),
    Account: accountResolvers(entries),
    Tenant: tenantResolvers(entries),
  };
}
