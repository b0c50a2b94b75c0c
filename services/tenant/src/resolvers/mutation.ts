import type { Clock } from '@messngr/kit';
import type { MutationResolvers } from '../generated/resolvers-types';
import type { TenantRepository } from '../persistence/tenant.repository';
import { createTenant } from '../use-cases/create-tenant';

export function mutationResolvers(deps: { tenants: TenantRepository; clock: Clock }): MutationResolvers {
  return {
    createTenant: async (_parent, { input }, { caller }) => ({ tenant: await createTenant(deps, caller, input) }),
  };
}
