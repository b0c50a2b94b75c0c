import { defineSubgraph } from '@messngr/kit/subgraph';
import { parseTenantConfig } from './config';
import { createTenantDependencies } from './dependencies';
import { createResolvers } from './resolvers';
import { ensurePlatformTenant } from './use-cases/ensure-platform-tenant';

/** Tenants, their identity providers and policy; it consumes nothing. */
export const tenantSubgraph = defineSubgraph({
  name: 'tenant',
  parseConfig: parseTenantConfig,
  dependencies: createTenantDependencies,
  resolvers: createResolvers,
  prepare: ensurePlatformTenant,
});
