import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { createRuntimeSubgraph, OutboxRelay, Topic, type ServiceParts, type ServiceRuntime } from '@messngr/kit';
import { tenantModel } from './persistence/tenant.model';
import { TenantRepository } from './persistence/tenant.repository';
import { createResolvers } from './resolvers';
import { ensurePlatformTenant } from './use-cases/ensure-platform-tenant';

export const TENANT_DEFAULT_PORT = 4001;
export const tenantTypeDefs = parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));

/** Builds the tenant subgraph on a runtime; `runService` brings it up. */
export async function createTenantService(runtime: ServiceRuntime): Promise<ServiceParts> {
  const model = tenantModel(runtime.connection);
  const relay = new OutboxRelay({
    sources: [{ model: model as never, topic: Topic.TENANT_EVENTS }],
    publisher: runtime.publisher,
    logger: runtime.logger,
  });
  const tenants = new TenantRepository(model, () => relay.nudge());
  const server = await createRuntimeSubgraph(runtime, {
    typeDefs: tenantTypeDefs,
    resolvers: createResolvers({ tenants, clock: runtime.clock }) as never,
  });
  return { server, relay, prepare: () => ensurePlatformTenant({ tenants, clock: runtime.clock }) };
}
