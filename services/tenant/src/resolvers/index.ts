import type { Resolvers } from '../generated/resolvers-types';
import type { TenantDependencies } from '../dependencies';
import { identityProviderConfigurationResolvers, identityProviderResolvers } from './identity-provider';
import { mutationResolvers } from './mutation';
import { queryResolvers } from './query';
import { tenantResolvers } from './tenant';

export function createResolvers(deps: TenantDependencies): Resolvers {
  return {
    Query: queryResolvers(deps),
    Mutation: mutationResolvers(deps),
    Tenant: tenantResolvers(deps),
    IdentityProvider: identityProviderResolvers(deps),
    IdentityProviderConfiguration: identityProviderConfigurationResolvers,
  };
}
