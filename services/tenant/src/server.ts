import { defineSubgraph } from '@messngr/kit/subgraph';
import { parseTenantConfig } from './config';
import { createTenantDependencies } from './dependencies';
import { createResolvers } from './resolvers';
import { ensurePlatformTenant } from './use-cases/ensure-platform-tenant';
import { ensureSharedDefinitions } from './use-cases/ensure-shared-definitions';

/** Tenants, their identity providers and policy; it consumes nothing. */
export const tenantSubgraph = defineSubgraph({
  name: 'tenant',
  parseConfig: parseTenantConfig,
  dependencies: createTenantDependencies,
  resolvers: createResolvers,
  /** The platform tenant and the built-in shared definitions exist from first start, each created once. */
  prepare: async (deps) => {
    await ensurePlatformTenant(deps);
    await ensureSharedDefinitions(deps);
  },
});
