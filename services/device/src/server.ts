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
import { identityEventsHandler } from './events/identity-events-handler';
import { accountReplicaModel } from './persistence/account-replica.model';
import { AccountReplicaRepository } from './persistence/account-replica.repository';
import { deviceModel } from './persistence/device.model';
import { DeviceRepository } from './persistence/device.repository';
import { createResolvers } from './resolvers';

export const DEVICE_DEFAULT_PORT = 4003;
export const deviceTypeDefs = parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));

/** Builds the device subgraph on a runtime; `runService` brings it up. */
export async function createDeviceService(runtime: ServiceRuntime): Promise<ServiceParts> {
  const model = deviceModel(runtime.connection);
  const relay = new OutboxRelay({
    sources: [{ model: model as never, topic: Topic.DEVICE_EVENTS }],
    publisher: runtime.publisher,
    logger: runtime.logger,
  });
  const devices = new DeviceRepository(model, () => relay.nudge());
  const accounts = new AccountReplicaRepository(accountReplicaModel(runtime.connection));
  const consumer = new EventConsumer({
    kafka: runtime.kafka,
    groupId: runtime.config.kafkaGroupId,
    topics: [Topic.IDENTITY_EVENTS],
    deadLetterTopic: deadLetterTopic('device'),
    handle: identityEventsHandler(accounts),
    logger: runtime.logger,
  });
  const server = await createRuntimeSubgraph(runtime, {
    typeDefs: deviceTypeDefs,
    resolvers: createResolvers({ devices, accounts, clock: runtime.clock }) as never,
  });
  return { server, relay, consumers: [consumer] };
}
