import { createTopics, startInfrastructure, type RunningInfrastructure } from '@messngr/infra';
import { TOPICS } from '@messngr/kit';

declare global {
  var messngrInfrastructure: RunningInfrastructure | undefined;
}

/**
 * Real Kafka and a real MongoDB-compatible server for the end-to-end tier: the ones named
 * by KAFKA_BROKERS and MONGODB_URI, or else started here (and stopped in teardown).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env['MONGODB_URI'] && process.env['KAFKA_BROKERS']) {
    await createTopics(process.env['KAFKA_BROKERS'], TOPICS);
    return;
  }
  const log = (line: string) => process.stderr.write(`[infra] ${line}\n`);
  const infrastructure = await startInfrastructure({ name: 'test', topics: TOPICS, log });
  globalThis.messngrInfrastructure = infrastructure;
  process.env['MONGODB_URI'] = infrastructure.mongoUri;
  process.env['KAFKA_BROKERS'] = infrastructure.kafkaBrokers;
}
