import { canAdministerTenant } from '@messngr/kit/auth';
import { asTenantId } from '@messngr/kit/core';
import type { TenantResolvers } from '../generated/resolvers-types';
import type { TenantDependencies } from '../dependencies';
import { tenantPolicyOf } from '../domain/tenant-policy';
import { providerView } from '../use-cases/locate-identity-provider';

/** Public fields for everyone; `settings` and disabled providers for the tenant's administrators. */
export function tenantResolvers(deps: TenantDependencies): TenantResolvers {
  return {
    __resolveReference: (reference) => deps.tenants.findById(asTenantId(reference.id)),
    id: (tenant) => tenant._id,
    identityProviders: (tenant, _args, { caller }) => {
      const admin = canAdministerTenant(caller, tenant._id);
      return tenant.identityProviders
        .filter((provider) => admin || provider.enabled)
        .map((provider) => providerView(provider, tenant));
    },
    defaultIdentityProvider: (tenant) => {
      const provider = tenant.identityProviders.find((candidate) => candidate.id === tenant.defaultProviderId);
      if (!provider) throw new Error(`tenant ${tenant._id} has no default provider`);
      return providerView(provider, tenant);
    },
    settings: (tenant, _args, { caller }) =>
      canAdministerTenant(caller, tenant._id)
        ? {
            session: tenant.session,
            policy: tenantPolicyOf(tenant.policy),
            metadata: tenant.metadata,
            suspensionReason: tenant.suspensionReason,
          }
        : null,
  };
}
