import type { MutationResolvers } from '../generated/resolvers-types';
import type { IdentityDependencies } from '../identity-dependencies';
import { createAccount } from '../use-cases/create-account';

export function mutationResolvers(deps: IdentityDependencies): MutationResolvers {
  return {
    createAccount: async (_parent, { input }, { caller }) => ({ account: await createAccount(deps, caller, input) }),
  };
}
