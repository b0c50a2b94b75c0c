import type { LoginFlowResolvers } from '../generated/resolvers-types';

/** What a client may see of a flow: never its code, its hash or where exactly the code went. */
export const loginFlowResolvers: LoginFlowResolvers = {
  id: (flow) => flow._id,
  destination: (flow) => flow.masked,
  codeExpiresAt: (flow) => flow.code.expiresAt,
};
