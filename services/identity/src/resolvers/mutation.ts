import { asTenantId } from '@messngr/kit/core';
import type { MutationResolvers } from '../generated/resolvers-types';
import type { IdentityDependencies } from '../dependencies';
import { createAccount } from '../use-cases/create-account';

export function mutationResolvers(deps: IdentityDependencies): MutationResolvers {
  return {
    createAccount: async (_parent, { input }, { caller }) => ({
      account: await createAccount(deps, caller, { ...input, tenantId: asTenantId(input.tenantId) }),
    }),
  };
}
