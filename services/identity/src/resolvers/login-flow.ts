import type { LoginFlowResolvers, ProviderLoginFlowResolvers } from '../generated/resolvers-types';

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
