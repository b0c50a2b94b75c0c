import { ALL_TOPICS } from '@messngr/contracts';
import { startInfrastructure, type RunningInfrastructure } from '@messngr/infra';
import { ensureTopics } from '@messngr/kit/events';
import { connectMongo, detectWriteClaims } from '@messngr/kit/mongo';

declare global {
  var messngrInfrastructure: RunningInfrastructure | undefined;
}

/**
 * Real Kafka and a real MongoDB-compatible server for the end-to-end tier: the ones named
 * by KAFKA_BROKERS and MONGODB_URI, or else started here (and stopped in teardown). Tells
 * the test files (through the environment) whether the server needs write claims (FerretDB).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env['MONGODB_URI'] && process.env['KAFKA_BROKERS']) {
    await ensureTopics(process.env['KAFKA_BROKERS'].split(','), ALL_TOPICS);
  } else {
    const log = (line: string) => process.stderr.write(`[infra] ${line}\n`);
    const infrastructure = await startInfrastructure({ name: 'test', topics: ALL_TOPICS, log });
    globalThis.messngrInfrastructure = infrastructure;
    process.env['MONGODB_URI'] = infrastructure.mongoUri;
    process.env['KAFKA_BROKERS'] = infrastructure.kafkaBrokers;
  }
  const probe = await connectMongo(process.env['MONGODB_URI'], 'e2e_probe');
  try {
    process.env['E2E_DATABASE_NEEDS_WRITE_CLAIMS'] = (await detectWriteClaims(probe)) ? '1' : '0';
  } finally {
    await probe.close();
  }
}
