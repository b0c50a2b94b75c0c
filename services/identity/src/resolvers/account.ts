import type { AccountResolvers } from '../generated/resolvers-types';
import type { IdentityDependencies } from '../identity-dependencies';
import { findReadableAccount } from './readable-account';

export function accountResolvers(deps: IdentityDependencies): AccountResolvers {
  return {
    __resolveReference: (reference, { caller }) => findReadableAccount(deps, caller, reference.id, reference.tenantId),
    id: (account) => account._id,
    tenant: (account) => ({ id: account.tenantId }),
  };
}
