import type { AccountResolvers } from '../generated/resolvers-types';
import type { AuditDependencies } from '../dependencies';
import { viewPage } from '../use-cases/entry-views';
import { readAccountActivity } from '../use-cases/read-account-activity';

export function accountResolvers(deps: Pick<AuditDependencies, 'entries' | 'accounts' | 'clock'>): AccountResolvers {
  return {
    __resolveReference: (reference) => reference,
    activity: async (account, args, { caller }) =>
      viewPage(deps, caller, await readAccountActivity(deps.entries, caller, account, args), args.locale),
  };
}
