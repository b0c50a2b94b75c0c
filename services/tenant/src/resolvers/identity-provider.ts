import type { IdentityProviderConfigurationResolvers, IdentityProviderResolvers } from '../generated/resolvers-types';
import type { TenantDependencies } from '../dependencies';
import { locateIdentityProvider, mayAdministerProvider, viewOf } from '../use-cases/locate-identity-provider';

export function identityProviderResolvers(deps: TenantDependencies): IdentityProviderResolvers {
  return {
    __resolveReference: async (reference, { caller }) => {
      const located = await locateIdentityProvider(deps, reference.id);
      if (!located) return null;
      const view = viewOf(located);
      return view.enabled || mayAdministerProvider(caller, view.tenantId) ? view : null;
    },
    configuration: (provider, _args, { caller }) => (mayAdministerProvider(caller, provider.tenantId) ? provider : null),
  };
}

/** The client secret itself has no field: only whether one is stored. */
export const identityProviderConfigurationResolvers: IdentityProviderConfigurationResolvers = {
  hasClientSecret: (provider) => provider.sealedClientSecret !== null,
  // Providers stored before the setting existed have none.
  requiredHostedDomain: (provider) => provider.requiredHostedDomain ?? null,
};
