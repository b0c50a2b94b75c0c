import type { QueryResolvers } from '../generated/resolvers-types';
import type { TenantRepository } from '../persistence/tenant.repository';

export function queryResolvers(tenants: TenantRepository): QueryResolvers {
  return {
    tenant: (_parent, { id }) => tenants.findById(id),
    tenantBySlug: (_parent, { slug }) => tenants.findBySlug(slug.toLowerCase()),
  };
}
