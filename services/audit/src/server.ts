import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import {
  createRuntimeSubgraph,
  deadLetterTopic,
  EventConsumer,
  Topic,
  type ServiceParts,
  type ServiceRuntime,
} from '@messngr/kit';
import { auditRecorder } from './events/audit-recorder';
import { auditEntryModel } from './persistence/audit-entry.model';
import { AuditEntryRepository } from './persistence/audit-entry.repository';
import { createResolvers } from './resolvers';

export const AUDIT_DEFAULT_PORT = 4004;
export const auditTypeDefs = parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));

/** Builds the audit subgraph on a runtime: it consumes every producer's topic and publishes nothing. */
export async function createAuditService(runtime: ServiceRuntime): Promise<ServiceParts> {
  const entries = new AuditEntryRepository(auditEntryModel(runtime.connection));
  const consumer = new EventConsumer({
    kafka: runtime.kafka,
    groupId: runtime.config.kafkaGroupId,
    topics: [Topic.TENANT_EVENTS, Topic.IDENTITY_EVENTS, Topic.DEVICE_EVENTS],
    deadLetterTopic: deadLetterTopic('audit'),
    handle: auditRecorder(entries, runtime.clock),
    logger: runtime.logger,
  });
  const server = await createRuntimeSubgraph(runtime, {
    typeDefs: auditTypeDefs,
    resolvers: createResolvers(entries) as never,
  });
  return { server, consumers: [consumer] };
}
