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
  };
}
