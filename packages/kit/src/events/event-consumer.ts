import { Partitioners, type Consumer, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { isEventEnvelope, type EventEnvelope } from './envelope';
import type { Logger } from './logger';
import { correlationIdFrom, CORRELATION_HEADER, runWithRequestContext } from './request-context';

export type EventHandler = (event: EventEnvelope<unknown>) => Promise<void>;

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  deadLetterTopic: string;
  handle: EventHandler;
  logger: Logger;
  /** Attempts before an event is parked on the dead-letter topic. */
  maxAttempts?: number;
  retryDelayMs?: number;
}

/**
 * Runs a consumer group: each event is handled, retried a bounded number of times, then
 * parked on the dead-letter topic so nothing stalls a partition. The offset is committed
 * only after the handler's effect is durable (kafkajs commits after eachMessage resolves).
 * Handlers must be idempotent by event id: delivery is at least once.
 */
export class EventConsumer {
  private readonly consumer: Consumer;
  private readonly deadLetters: Producer;
  private running = false;

  constructor(private readonly options: EventConsumerOptions) {
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    this.deadLetters = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async start(): Promise<void> {
    await this.deadLetters.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        await this.process(topic, partition, message);
      },
    });
    this.running = true;
  }

  /** Resolves once the group has assigned this member its partitions. */
  waitUntilJoined(timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        remove();
        reject(new Error(`consumer group ${this.options.groupId} did not join within ${timeoutMs} ms`));
      }, timeoutMs);
      const remove = this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
        clearTimeout(timer);
        remove();
        resolve();
      });
    });
  }

  get isRunning(): boolean {
    return this.running;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.consumer.disconnect();
    await this.deadLetters.disconnect();
  }

  private async process(topic: string, partition: number, message: KafkaMessage): Promise<void> {
    const correlationId = correlationIdFrom(message.headers?.[CORRELATION_HEADER]?.toString());
    await runWithRequestContext({ correlationId }, async () => {
      const log = this.options.logger.child({ topic, partition, offset: message.offset });
      let event: EventEnvelope<unknown>;
      try {
        const parsed: unknown = JSON.parse(message.value?.toString('utf8') ?? '');
        if (!isEventEnvelope(parsed)) throw new Error('not an event envelope');
        event = parsed;
      } catch (error) {
        log.warn({ err: error }, 'unreadable message parked on the dead-letter topic');
        await this.park(topic, partition, message, error);
        return;
      }
      const maxAttempts = this.options.maxAttempts ?? 5;
      for (let attempt = 1; ; attempt += 1) {
        try {
          await this.options.handle(event);
          return;
        } catch (error) {
          if (attempt >= maxAttempts) {
            log.error({ err: error, eventId: event.id, eventType: event.type }, 'event parked on the dead-letter topic');
            await this.park(topic, partition, message, error);
            return;
          }
          log.warn({ err: error, eventId: event.id, attempt }, 'event handling failed; retrying');
          await delay((this.options.retryDelayMs ?? 200) * 2 ** (attempt - 1));
        }
      }
    });
  }

  private async park(topic: string, partition: number, message: KafkaMessage, error: unknown): Promise<void> {
    await this.deadLetters.send({
      topic: this.options.deadLetterTopic,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            'dlt-original-topic': topic,
            'dlt-original-partition': String(partition),
            'dlt-original-offset': message.offset,
            'dlt-consumer-group': this.options.groupId,
            'dlt-error': error instanceof Error ? error.message.slice(0, 500) : 'unknown error',
          },
        },
      ],
    });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
