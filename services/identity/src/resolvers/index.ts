import type { IdentityDependencies } from '../dependencies';
import type { Resolvers } from '../generated/resolvers-types';
import { accountResolvers } from './account';
import { identityResolvers } from './identity';
import { loginFlowResolvers, providerLoginFlowResolvers } from './login-flow';
import { mutationResolvers } from './mutation';
import { queryResolvers } from './query';
import { sessionResolvers } from './session';
import { tenantResolvers } from './tenant';

export function createResolvers(deps: IdentityDependencies): Resolvers {
  return {
    Query: queryResolvers(deps),
    Mutation: mutationResolvers(deps),
    Account: accountResolvers(deps),
    Tenant: tenantResolvers(deps),
    Identity: identityResolvers,
    Session: sessionResolvers(deps),
    LoginFlow: loginFlowResolvers,
    ProviderLoginFlow: providerLoginFlowResolvers,
  };
}
