import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import {
  createRuntimeSubgraph,
  deadLetterTopic,
  EventConsumer,
  OutboxRelay,
  Topic,
  type ServiceParts,
  type ServiceRuntime,
} from '@messngr/kit';
import type { IdentityConfig } from './config';
import { tenantEventsHandler } from './events/tenant-events-handler';
import { createIdentityDependencies, type IdentityDependencies } from './identity-dependencies';
import { createResolvers } from './resolvers';
import { mountIssuerRoutes } from './routes/issuer-routes';
import { ensurePlatformTenant } from './use-cases/ensure-platform-tenant';

export { IDENTITY_DEFAULT_PORT, IDENTITY_ENV_VARIABLES, parseIdentityConfig, type IdentityConfig } from './config';
export { AccessTokenIssuer } from './tokens/access-token-issuer';
export const identityTypeDefs = parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));

export interface IdentityServiceParts extends ServiceParts {
  dependencies: IdentityDependencies;
}

/** Builds the identity subgraph on a runtime; `runService` brings it up. */
export async function createIdentityService(runtime: ServiceRuntime, config: IdentityConfig): Promise<IdentityServiceParts> {
  // The relay is built from the repositories' models; writes nudge it once it exists.
  const dependencies = createIdentityDependencies(runtime, config, () => relay.nudge());
  const relay = new OutboxRelay({
    sources: [{ model: dependencies.accounts.model as never, topic: Topic.IDENTITY_EVENTS }],
    publisher: runtime.publisher,
    logger: runtime.logger,
  });
  const consumer = new EventConsumer({
    kafka: runtime.kafka,
    groupId: config.kafkaGroupId,
    topics: [Topic.TENANT_EVENTS],
    deadLetterTopic: deadLetterTopic('identity'),
    handle: tenantEventsHandler(dependencies),
    logger: runtime.logger,
  });
  const server = await createRuntimeSubgraph(runtime, {
    typeDefs: identityTypeDefs,
    resolvers: createResolvers(dependencies) as never,
    routes: (app) =>
      mountIssuerRoutes(app, { tenants: dependencies.tenants, keys: dependencies.keys, publicUrl: config.publicUrl }),
  });
  return { server, relay, consumers: [consumer], dependencies, prepare: () => ensurePlatformTenant(dependencies) };
}
