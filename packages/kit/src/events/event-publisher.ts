import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { EventEnvelope } from '@messngr/contracts';
import { CORRELATION_HEADER } from '../logging/request-context';

export interface EventPublisher {
  publish(topic: string, events: EventEnvelope[]): Promise<void>;
}

/** Idempotent producer, acks from all in-sync replicas; the outbox relay is its only caller. */
export class KafkaEventPublisher implements EventPublisher {
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Java-compatible murmur2 partitioning: other clients find the same partition for a key.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect();
    return this.connected;
  }

  async publish(topic: string, events: EventEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    await this.connect();
    await this.producer.send({
      topic,
      acks: -1,
      messages: events.map((event) => ({
        key: event.partitionkey,
        value: JSON.stringify(event),
        headers: {
          'content-type': 'application/cloudevents+json; charset=utf-8',
          ce_id: event.id,
          ce_type: event.type,
          ...(event.correlationid ? { [CORRELATION_HEADER]: event.correlationid } : {}),
        },
      })),
    });
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = undefined;
  }
}
