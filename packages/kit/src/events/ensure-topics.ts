import type { Kafka } from 'kafkajs';
import { TOPICS } from './topics';

/**
 * Creates the catalogue's topics that do not exist yet (auto-creation is off on our
 * brokers). Every service calls it at start, so any broker works without a setup step.
 */
export async function ensureTopics(kafka: Kafka, topics = TOPICS): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.name));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic: topic.name, numPartitions: topic.partitions, replicationFactor: -1 })),
    });
  } finally {
    await admin.disconnect();
  }
}
