import type { IdentityDependencies } from '../dependencies';
import type { IdentityLinkFlowResolvers, LoginFlowResolvers, ProviderLoginFlowResolvers } from '../generated/resolvers-types';

/** What a client may see of a flow: never its code, its hash or where exactly the code went. */
export const loginFlowResolvers: LoginFlowResolvers = {
  id: (flow) => flow._id,
  destination: (flow) => flow.masked,
  codeExpiresAt: (flow) => flow.code.expiresAt,
};

/** Only id, provider and expiry: the state, nonce, verifier and completion secret's hash stay inside. */
export const providerLoginFlowResolvers: ProviderLoginFlowResolvers = {
  id: (flow) => flow._id,
};

/** The view is what may be seen already; the provider and the linked identity are resolved from it. */
export function identityLinkFlowResolvers(deps: Pick<IdentityDependencies, 'accounts'>): IdentityLinkFlowResolvers {
  return {
    provider: (flow) => (flow.providerId ? { id: flow.providerId } : null),
    linkedIdentity: async (flow, _args, { caller }) => {
      if (!flow.linkedIdentityId || !caller.tenantId || !caller.accountId) return null;
      const account = await deps.accounts.findById(caller.tenantId, caller.accountId);
      return account?.identities.find((identity) => identity.id === flow.linkedIdentityId) ?? null;
    },
  };
}
