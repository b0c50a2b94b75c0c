import { ensureFerretDBBinary, type FerretDBBinary } from './ferretdb-binary';
import { ensureKafkaJars, type KafkaDistribution } from './kafka-jars';

export interface BuiltInfrastructure {
  kafka: KafkaDistribution;
  ferretdb: FerretDBBinary;
}

/** Fetches the Kafka jars and builds FerretDB into <repo>/.cache/infra when missing (first run only). */
export async function buildInfrastructure(log: (line: string) => void): Promise<BuiltInfrastructure> {
  // settle both, so a failing one never leaves the other building in the background
  const [kafka, ferretdb] = await Promise.allSettled([ensureKafkaJars(log), ensureFerretDBBinary(log)]);
  if (kafka.status === 'rejected') throw kafka.reason;
  if (ferretdb.status === 'rejected') throw ferretdb.reason;
  return { kafka: kafka.value, ferretdb: ferretdb.value };
}

export async function ensureInfrastructureBuilt(log: (line: string) => void = () => undefined): Promise<void> {
  await buildInfrastructure(log);
}
