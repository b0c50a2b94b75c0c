import type { AccountResolvers } from '../generated/resolvers-types';
import type { AuditEntryRepository } from '../persistence/audit-entry.repository';
import { readAccountActivity } from '../use-cases/read-account-activity';

export function accountResolvers(entries: AuditEntryRepository): AccountResolvers {
  return {
    __resolveReference: (reference) => reference,
    activity: (account, args, { caller }) => readAccountActivity(entries, caller, account, args),
  };
}
