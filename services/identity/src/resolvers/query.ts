import { asTenantId } from '@messngr/kit/core';
import { findIdentityLinkFlow } from '../use-cases/identity-link';
import type { IdentityDependencies } from '../dependencies';
import type { QueryResolvers } from '../generated/resolvers-types';
import { findReadableAccount } from '../use-cases/account-access';
import { searchAccounts } from '../use-cases/search-accounts';

export function queryResolvers(deps: IdentityDependencies): QueryResolvers {
  return {
    me: (_parent, _args, { caller }) =>
      caller.accountId && caller.tenantId ? deps.accounts.findById(caller.tenantId, caller.accountId) : null,
    account: (_parent, { id, tenantId }, { caller }) =>
      findReadableAccount(deps.accounts, caller, id, tenantId ? asTenantId(tenantId) : undefined),
    accounts: (_parent, args, { caller }) => searchAccounts(deps, caller, args),
    identityLinkFlow: (_parent, { id }, { caller }) => findIdentityLinkFlow(deps, caller, id),
  };
}
