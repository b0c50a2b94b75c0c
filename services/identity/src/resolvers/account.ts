import { canReadAccount, canSupportTenant } from '@messngr/kit/auth';
import { asTenantId } from '@messngr/kit/core';
import type { IdentityDependencies } from '../dependencies';
import type { AccountResolvers } from '../generated/resolvers-types';
import { findReadableAccount } from '../use-cases/account-access';

export function accountResolvers(deps: IdentityDependencies): AccountResolvers {
  return {
    __resolveReference: (reference, { caller }) =>
      findReadableAccount(deps.accounts, caller, reference.id, asTenantId(reference.tenantId)),
    id: (account) => account._id,
    tenant: (account) => ({ id: account.tenantId }),
    identities: (account, _args, { caller }) =>
      canReadAccount(caller, account.tenantId, account._id) || canSupportTenant(caller, account.tenantId)
        ? account.identities
        : [],
    // Sessions are their account's own business: not even administrators list them here.
    sessions: (account, { includeEnded }, { caller }) =>
      caller.tenantId === account.tenantId && caller.accountId === account._id
        ? deps.sessions.ofAccount(account.tenantId, account._id, includeEnded ?? false)
        : [],
    recoveryCodes: (account, _args, { caller }) => {
      const own = caller.tenantId === account.tenantId && caller.accountId === account._id;
      const set = account.recoveryCodes;
      return own && set ? { generatedAt: set.generatedAt, remaining: set.hashes.filter(Boolean).length } : null;
    },
  };
}
