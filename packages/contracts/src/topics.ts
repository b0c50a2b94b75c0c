import type { SubgraphName } from './subgraphs';

/**
 * The services that publish events, each on a topic of its own: three subgraphs, and
 * `messaging`, the messaging backend that terminates device connections (outside this repository).
 */
export type ProducerService = Extract<SubgraphName, 'tenant' | 'identity' | 'device'> | 'messaging';
/**
 * The services that consume events; each has a dead-letter topic and a replay topic of its own.
 * The gateway consumes too: revocations, disabled accounts and suspended tenants.
 */
export type ConsumerService = Extract<SubgraphName, 'identity' | 'device' | 'audit'> | 'gateway';

export const PRODUCER_TOPICS: Record<ProducerService, { name: string; partitions: number }> = {
  tenant: { name: 'messngr.tenant.events', partitions: 3 },
  identity: { name: 'messngr.identity.events', partitions: 6 },
  device: { name: 'messngr.device.events', partitions: 6 },
  messaging: { name: 'messngr.messaging.events', partitions: 6 },
};

export const CONSUMER_SERVICES: readonly ConsumerService[] = ['identity', 'device', 'audit', 'gateway'];

export function producerTopic(producer: ProducerService): string {
  return PRODUCER_TOPICS[producer].name;
}

export function isProducerService(name: string): name is ProducerService {
  return Object.hasOwn(PRODUCER_TOPICS, name);
}

export const DEAD_LETTER_TOPIC_PATTERN = 'messngr.{service}.dead-letter';
export const REPLAY_TOPIC_PATTERN = 'messngr.{service}.replay';

/** Where a consumer parks what can never succeed, with the reason in the headers. */
export function deadLetterTopic(consumer: ConsumerService): string {
  return DEAD_LETTER_TOPIC_PATTERN.replace('{service}', consumer);
}

/** Where `npm run cli -- dead-letters replay <service>` puts parked events back for that consumer alone. */
export function replayTopic(consumer: ConsumerService): string {
  return REPLAY_TOPIC_PATTERN.replace('{service}', consumer);
}

export interface TopicSpec {
  name: string;
  partitions: number;
}

/** Every topic of the stack; created explicitly (brokers do not auto-create). */
export const ALL_TOPICS: readonly TopicSpec[] = [
  ...Object.values(PRODUCER_TOPICS),
  ...CONSUMER_SERVICES.flatMap((consumer) => [
    { name: deadLetterTopic(consumer), partitions: 1 },
    { name: replayTopic(consumer), partitions: 1 },
  ]),
];
