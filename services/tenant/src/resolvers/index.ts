import type { Clock } from '@messngr/kit';
import type { Resolvers } from '../generated/resolvers-types';
import type { TenantRepository } from '../persistence/tenant.repository';
import { mutationResolvers } from './mutation';
import { queryResolvers } from './query';
import { tenantResolvers } from './tenant';

export function createResolvers(deps: { tenants: TenantRepository; clock: Clock }): Resolvers {
  return {
    Query: queryResolvers(deps.tenants),
    Mutation: mutationResolvers(deps),
    Tenant: tenantResolvers(deps.tenants),
  };
}
