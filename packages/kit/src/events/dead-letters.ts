import { randomBytes } from 'node:crypto';
import { Partitioners, type Kafka, type KafkaMessage } from 'kafkajs';
import { deadLetterTopic, replayTopic, type ConsumerService } from '@messngr/contracts';

export interface DeadLetter {
  offset: string;
  key: string | null;
  eventId: string | null;
  type: string | null;
  /** contract (fails its contract), refused (a rule refused it), exhausted (failed every retry). */
  kind: string | null;
  reason: string | null;
  originalTopic: string | null;
  parkedAt: string | null;
  /** Put back on the replay topic by an earlier `replay`. */
  replayed: boolean;
}

/** Marks how far the parked events have been replayed: the committed offset of this (never running) group. */
function replayCursorGroup(consumer: ConsumerService): string {
  return `messngr-${consumer}-dead-letter-replay`;
}

/** Every event parked by `consumer`, oldest first, with its reason and whether it was replayed. */
export async function listDeadLetters(kafka: Kafka, consumer: ConsumerService): Promise<DeadLetter[]> {
  const [messages, cursor] = await Promise.all([readAll(kafka, deadLetterTopic(consumer)), replayCursor(kafka, consumer)]);
  return messages.map((message) => describe(message, BigInt(message.offset) < cursor));
}

/**
 * Puts every parked event not replayed before onto the consumer's replay topic (which only
 * that consumer reads), then moves the cursor past them: running it twice replays nothing
 * twice, and the handlers are idempotent by event id besides.
 */
export async function replayDeadLetters(kafka: Kafka, consumer: ConsumerService): Promise<DeadLetter[]> {
  const topic = deadLetterTopic(consumer);
  const cursor = await replayCursor(kafka, consumer);
  const pending = (await readAll(kafka, topic)).filter((message) => BigInt(message.offset) >= cursor);
  if (pending.length === 0) return [];
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({
      topic: replayTopic(consumer),
      acks: -1,
      messages: pending.map((message) => ({
        key: message.key,
        value: message.value,
        headers: { ...message.headers, 'dlt-replayed-from-offset': message.offset },
      })),
    });
  } finally {
    await producer.disconnect();
  }
  const next = (pending.reduce((last, message) => (BigInt(message.offset) > last ? BigInt(message.offset) : last), 0n) + 1n).toString();
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.setOffsets({ groupId: replayCursorGroup(consumer), topic, partitions: [{ partition: 0, offset: next }] });
  } finally {
    await admin.disconnect();
  }
  return pending.map((message) => describe(message, true));
}

async function replayCursor(kafka: Kafka, consumer: ConsumerService): Promise<bigint> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId: replayCursorGroup(consumer), topics: [deadLetterTopic(consumer)] });
    const committed = offsets?.partitions.find((partition) => partition.partition === 0)?.offset ?? '-1';
    return committed === '-1' ? 0n : BigInt(committed);
  } finally {
    await admin.disconnect();
  }
}

/** Reads a one-partition topic from its start to its current end with a throwaway group. */
async function readAll(kafka: Kafka, topic: string): Promise<KafkaMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const [end] = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const high = BigInt(end?.high ?? '0');
  const low = BigInt(end?.low ?? '0');
  if (high <= low) return [];
  const reader = kafka.consumer({ groupId: `messngr-dead-letter-reader-${randomBytes(4).toString('hex')}` });
  const messages: KafkaMessage[] = [];
  await reader.connect();
  try {
    await new Promise<void>((resolve, reject) => {
      reader
        .subscribe({ topics: [topic], fromBeginning: true })
        .then(() =>
          reader.run({
            autoCommit: false,
            eachMessage: async ({ message }) => {
              messages.push(message);
              if (BigInt(message.offset) + 1n >= high) resolve();
            },
          }),
        )
        .catch(reject);
    });
  } finally {
    await reader.disconnect();
  }
  return messages;
}

function describe(message: KafkaMessage, replayed: boolean): DeadLetter {
  const header = (name: string) => message.headers?.[name]?.toString() ?? null;
  let eventId: string | null = null;
  let type: string | null = null;
  try {
    const parsed = JSON.parse(message.value?.toString('utf8') ?? '') as { id?: unknown; type?: unknown };
    eventId = typeof parsed.id === 'string' ? parsed.id : null;
    type = typeof parsed.type === 'string' ? parsed.type : null;
  } catch {
    // Unreadable: that is why it is here.
  }
  return {
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    eventId,
    type,
    kind: header('dlt-kind'),
    reason: header('dlt-error'),
    originalTopic: header('dlt-original-topic'),
    parkedAt: header('dlt-parked-at'),
    replayed,
  };
}
