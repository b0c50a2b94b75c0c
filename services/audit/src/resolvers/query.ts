import type { QueryResolvers } from '../generated/resolvers-types';
import type { AuditDependencies } from '../dependencies';
import { viewPage } from '../use-cases/entry-views';
import { readAuditLog } from '../use-cases/read-audit-log';

export function queryResolvers(deps: Pick<AuditDependencies, 'entries' | 'accounts' | 'clock'>): QueryResolvers {
  return {
    auditLog: async (_root, args, { caller }) =>
      viewPage(deps, caller, await readAuditLog(deps.entries, caller, args.tenant, args.filter, args), args.locale),
  };
}
