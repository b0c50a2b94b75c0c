import type { IdentityDependencies } from '../dependencies';
import type { Resolvers } from '../generated/resolvers-types';
import { accountResolvers } from './account';
import { identityResolvers } from './identity';
import { identityLinkFlowResolvers, loginFlowResolvers, providerLoginFlowResolvers } from './login-flow';
import { identityMutationResolvers } from './identity-mutations';
import { mutationResolvers } from './mutation';
import { oauthClientMutationResolvers, oauthClientQueryResolvers, oauthClientResolvers } from './oauth-clients';
import { queryResolvers } from './query';
import { sessionResolvers } from './session';
import { tenantResolvers } from './tenant';

export function createResolvers(deps: IdentityDependencies): Resolvers {
  return {
    Query: { ...queryResolvers(deps), ...oauthClientQueryResolvers(deps) },
    Mutation: { ...mutationResolvers(deps), ...identityMutationResolvers(deps), ...oauthClientMutationResolvers(deps) },
    OAuthClient: oauthClientResolvers,
    Account: accountResolvers(deps),
    Tenant: tenantResolvers(deps),
    Identity: identityResolvers,
    Session: sessionResolvers(deps),
    LoginFlow: loginFlowResolvers,
    ProviderLoginFlow: providerLoginFlowResolvers,
    IdentityLinkFlow: identityLinkFlowResolvers(deps),
    IdentityRemoval: { id: (removal) => removal._id },
  };
}
