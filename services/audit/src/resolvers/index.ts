import type { AuditDependencies } from '../dependencies';
import type { Resolvers } from '../generated/resolvers-types';
import { accountResolvers } from './account';
import { auditEntryResolvers } from './audit-entry';
import { queryResolvers } from './query';
import { tenantResolvers } from './tenant';

/** Reads only: the audit subgraph has no Mutation type, so no request can change an entry. */
export function createResolvers(deps: AuditDependencies): Resolvers {
  return {
    Query: queryResolvers(deps),
    AuditEntry: auditEntryResolvers(deps),
    Account: accountResolvers(deps),
    Tenant: tenantResolvers(deps),
  };
}
