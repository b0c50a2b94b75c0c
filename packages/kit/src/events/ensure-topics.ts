import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { TopicSpec } from '@messngr/contracts';

/**
 * Creates the topics that do not exist yet (brokers here do not auto-create them) and adds
 * partitions to those that have fewer than asked. Idempotent and safe to race: every service
 * calls it at start, and so do the infrastructure scripts and the test setup, with the
 * contracts' list of topics.
 */
export async function ensureTopics(kafkaOrBrokers: Kafka | string[], topics: readonly TopicSpec[]): Promise<void> {
  if (topics.length === 0) return;
  for (const topic of topics) {
    if (!topic.name || !Number.isInteger(topic.partitions) || topic.partitions < 1) {
      throw new Error(`invalid topic spec ${JSON.stringify(topic)}: needs a name and partitions >= 1`);
    }
  }
  const kafka = Array.isArray(kafkaOrBrokers)
    ? new Kafka({ clientId: 'messngr-topics', brokers: kafkaOrBrokers, logLevel: logLevel.NOTHING, connectionTimeout: 3000 })
    : kafkaOrBrokers;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createMissing(admin, topics);
  } finally {
    await admin.disconnect();
  }
}

async function createMissing(admin: Admin, topics: readonly TopicSpec[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic.name));
  if (missing.length > 0) {
    // Resolves false instead of failing when a concurrent caller created them first.
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic: topic.name, numPartitions: topic.partitions, replicationFactor: -1 })),
    });
  }
  const present = topics.filter((topic) => existing.has(topic.name));
  if (present.length === 0) return;
  const metadata = await admin.fetchTopicMetadata({ topics: present.map((topic) => topic.name) });
  const grow = present.filter((topic) => {
    const current = metadata.topics.find((t) => t.name === topic.name)?.partitions.length ?? 0;
    return current < topic.partitions;
  });
  if (grow.length > 0) {
    await admin.createPartitions({ topicPartitions: grow.map((topic) => ({ topic: topic.name, count: topic.partitions })) });
  }
}
