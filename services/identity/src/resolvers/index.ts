import type { Resolvers } from '../generated/resolvers-types';
import type { IdentityDependencies } from '../dependencies';
import { accountResolvers } from './account';
import { mutationResolvers } from './mutation';
import { queryResolvers } from './query';
import { tenantResolvers } from './tenant';

export function createResolvers(deps: IdentityDependencies): Resolvers {
  return {
    Query: queryResolvers(deps),
    Mutation: mutationResolvers(deps),
    Account: accountResolvers(deps),
    Tenant: tenantResolvers(deps),
  };
}
