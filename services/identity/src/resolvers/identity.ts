import type { IdentityResolvers } from '../generated/resolvers-types';

export const identityResolvers: IdentityResolvers = {
  provider: (identity) => (identity.providerId ? { id: identity.providerId } : null),
};
