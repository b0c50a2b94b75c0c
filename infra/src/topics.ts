import { withKafkaAdmin } from './kafka-admin';

export interface TopicSpec {
  name: string;
  partitions: number;
}

/**
 * Creates the topics that do not exist yet (the broker does not auto-create them) and adds
 * partitions to existing ones that have fewer than asked. Idempotent; the broker's default
 * replication factor applies.
 */
export async function createTopics(brokers: string, topics: TopicSpec[]): Promise<void> {
  if (topics.length === 0) return;
  for (const topic of topics) {
    if (!topic.name || !Number.isInteger(topic.partitions) || topic.partitions < 1) {
      throw new Error(`invalid topic spec ${JSON.stringify(topic)}: needs a name and partitions >= 1`);
    }
  }
  await withKafkaAdmin(brokers, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.name));
    if (missing.length > 0) {
      // resolves false instead of failing when a concurrent caller created them first
      await admin.createTopics({
        topics: missing.map((topic) => ({ topic: topic.name, numPartitions: topic.partitions })),
        waitForLeaders: true,
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
      await admin.createPartitions({
        topicPartitions: grow.map((topic) => ({ topic: topic.name, count: topic.partitions })),
        validateOnly: false,
      });
    }
  });
}
