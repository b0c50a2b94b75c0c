import type { TenantResolvers } from '../generated/resolvers-types';
import type { TenantRepository } from '../persistence/tenant.repository';

export function tenantResolvers(tenants: TenantRepository): TenantResolvers {
  return {
    __resolveReference: (reference) => tenants.findById(reference.id),
    id: (tenant) => tenant._id,
  };
}
