import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { createRuntimeSubgraph, OutboxRelay, SecretBox, Topic, type ServiceParts, type ServiceRuntime } from '@messngr/kit';
import type { TenantConfig } from './config';
import { sharedProviderModel } from './persistence/shared-provider.model';
import { SharedProviderRepository } from './persistence/shared-provider.repository';
import { tenantModel } from './persistence/tenant.model';
import { TenantRepository } from './persistence/tenant.repository';
import { createResolvers } from './resolvers';
import { ensurePlatformTenant } from './use-cases/ensure-platform-tenant';

export { parseTenantConfig, TENANT_DEFAULT_PORT, TENANT_ENV_VARIABLES, type TenantConfig } from './config';
export const tenantTypeDefs = parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));

/** Builds the tenant subgraph on a runtime; `runService` brings it up. */
export async function createTenantService(runtime: ServiceRuntime, config: TenantConfig): Promise<ServiceParts> {
  const tenantsModel = tenantModel(runtime.connection);
  const sharedModel = sharedProviderModel(runtime.connection);
  const relay = new OutboxRelay({
    sources: [
      { model: tenantsModel as never, topic: Topic.TENANT_EVENTS },
      { model: sharedModel as never, topic: Topic.TENANT_EVENTS },
    ],
    publisher: runtime.publisher,
    logger: runtime.logger,
  });
  const deps = {
    tenants: new TenantRepository(tenantsModel, () => relay.nudge()),
    sharedProviders: new SharedProviderRepository(sharedModel, () => relay.nudge()),
    secretBox: new SecretBox(config.encryptionKeys),
    clock: runtime.clock,
    allowInsecureLoopback: !config.production,
  };
  const server = await createRuntimeSubgraph(runtime, { typeDefs: tenantTypeDefs, resolvers: createResolvers(deps) as never });
  return { server, relay, prepare: () => ensurePlatformTenant(deps) };
}
