import { asTenantId } from '@messngr/kit/core';
import type { IdentityDependencies } from '../dependencies';
import type { MutationResolvers, OAuthClientResolvers, QueryResolvers } from '../generated/resolvers-types';
import {
  listOAuthClients,
  registerOAuthClient,
  removeOAuthClient,
  rotateOAuthClientSecret,
  updateOAuthClient,
} from '../use-cases/oauth-clients';

/** Tenant administrators manage the clients of their tenant's authorization server. */
export function oauthClientMutationResolvers(deps: IdentityDependencies): MutationResolvers {
  return {
    registerOAuthClient: (_parent, { input }, { caller }) =>
      registerOAuthClient(deps, caller, { ...input, tenantId: asTenantId(input.tenantId) }),
    updateOAuthClient: async (_parent, { input }, { caller }) => ({
      client: await updateOAuthClient(deps, caller, { ...input, tenantId: asTenantId(input.tenantId) }),
    }),
    rotateOAuthClientSecret: async (_parent, { input }, { caller }) => {
      const { client, clientSecret } = await rotateOAuthClientSecret(deps, caller, {
        ...input,
        tenantId: asTenantId(input.tenantId),
      });
      return { client, clientSecret: clientSecret! };
    },
    removeOAuthClient: async (_parent, { input }, { caller, signalRevocation }) => ({
      removedClientId: (
        await removeOAuthClient(deps, caller, { ...input, tenantId: asTenantId(input.tenantId) }).finally(signalRevocation)
      )._id,
    }),
  };
}

export function oauthClientQueryResolvers(deps: IdentityDependencies): QueryResolvers {
  return {
    oauthClients: (_parent, args, { caller }) => listOAuthClients(deps, caller, { ...args, tenantId: asTenantId(args.tenantId) }),
  };
}

export const oauthClientResolvers: OAuthClientResolvers = {
  id: (client) => client._id,
  hasSecret: (client) => client.secret !== null,
};
