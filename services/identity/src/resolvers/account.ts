import { canReadAccount } from '@messngr/kit/auth';
import { asTenantId } from '@messngr/kit/core';
import type { IdentityDependencies } from '../dependencies';
import type { AccountResolvers, AccountRole } from '../generated/resolvers-types';
import { canonicalRoles } from '../use-cases/account-roles';
import { findReadableAccount } from '../use-cases/account-access';

export function accountResolvers(deps: IdentityDependencies): AccountResolvers {
  return {
    __resolveReference: (reference, { caller }) =>
      findReadableAccount(deps.accounts, caller, reference.id, asTenantId(reference.tenantId)),
    id: (account) => account._id,
    tenant: (account) => ({ id: account.tenantId }),
    identities: (account, _args, { caller }) => (canReadAccount(caller, account.tenantId, account._id) ? account.identities : []),
    roles: (account, _args, { caller }) =>
      canReadAccount(caller, account.tenantId, account._id) ? canonicalRoles(account.roles).map(toAccountRoleEnum) : [],
    // Support looks into sessions to help (and end them); nobody else but the account itself.
    sessions: (account, { includeEnded }, { caller }) =>
      canReadAccount(caller, account.tenantId, account._id)
        ? deps.sessions.ofAccount(account.tenantId, account._id, includeEnded ?? false)
        : [],
    recoveryCodes: (account, _args, { caller }) => {
      const own = caller.tenantId === account.tenantId && caller.accountId === account._id;
      const set = account.recoveryCodes;
      return own && set ? { generatedAt: set.generatedAt, remaining: set.hashes.filter(Boolean).length } : null;
    },
  };
}

function toAccountRoleEnum(role: string): AccountRole {
  return role.toUpperCase() as AccountRole;
}
