import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type IHeaders } from 'kafkajs';

export interface ReadMessage {
  topic: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** A plain kafkajs consumer in its own group: what an outside audit consumer sees on the broker. */
export class TopicReader {
  readonly messages: ReadMessage[] = [];
  private readonly consumer: Consumer;

  constructor(private readonly topics: string[]) {
    const kafka = new Kafka({
      clientId: 'e2e-reader',
      brokers: process.env['KAFKA_BROKERS']!.split(','),
      logLevel: logLevel.NOTHING,
    });
    this.consumer = kafka.consumer({ groupId: `e2e-reader-${randomBytes(4).toString('hex')}` });
  }

  async start(): Promise<void> {
    const consumer = this.consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        this.messages.push({
          topic,
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? '',
          headers: stringHeaders(message.headers),
        });
      },
    });
    await joined;
  }

  async waitFor(predicate: (message: ReadMessage) => boolean, timeoutMs = 20_000): Promise<ReadMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching message within ${timeoutMs} ms (${this.messages.length} read)`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));
}

/** A reader of `topics` for the enclosing `describe`: joined before its tests, disconnected after. */
export function useTopicReader(topics: string[]): TopicReader {
  const reader = new TopicReader(topics);
  beforeAll(() => reader.start());
  afterAll(() => reader.stop());
  return reader;
}
