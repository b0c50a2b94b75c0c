import { asTenantId } from '@messngr/kit/core';
import type { QueryResolvers } from '../generated/resolvers-types';
import type { TenantDependencies } from '../dependencies';
import { listTenants } from '../use-cases/list-tenants';
import {
  locateIdentityProvider,
  mayAdministerProvider,
  providerView,
  sharedDefinitionAsProvider,
  viewOf,
} from '../use-cases/locate-identity-provider';

export function queryResolvers(deps: TenantDependencies): QueryResolvers {
  return {
    tenant: (_parent, { id }) => deps.tenants.findById(asTenantId(id)),
    tenantBySlug: (_parent, { slug }) => deps.tenants.findBySlug(slug.trim().toLowerCase()),
    tenants: (_parent, args, { caller }) => listTenants(deps.tenants, caller, args),
    identityProvider: async (_parent, { id }, { caller }) => {
      const located = await locateIdentityProvider(deps, id);
      if (!located) return null;
      const view = viewOf(located);
      return view.enabled || mayAdministerProvider(caller, view.tenantId) ? view : null;
    },
    sharedIdentityProviders: async (_parent, _args, { caller }) => {
      const definitions = (await deps.sharedProviders.list()).map((definition) =>
        providerView(sharedDefinitionAsProvider(definition), null),
      );
      return mayAdministerProvider(caller, null) ? definitions : definitions.filter((definition) => definition.enabled);
    },
  };
}
