import type { QueryResolvers } from '../generated/resolvers-types';
import type { IdentityDependencies } from '../identity-dependencies';
import { findReadableAccount } from './readable-account';

export function queryResolvers(deps: IdentityDependencies): QueryResolvers {
  return {
    me: (_parent, _args, { caller }) =>
      caller.accountId && caller.tenantId ? deps.accounts.findById(caller.tenantId, caller.accountId) : null,
    account: (_parent, { id }, { caller }) => findReadableAccount(deps, caller, id),
  };
}
