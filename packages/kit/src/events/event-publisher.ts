import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { EventEnvelope } from '@messngr/contracts';
import { CORRELATION_HEADER } from '../logging/request-context';
import { SpanKind, startSpan, type OpenSpan } from '../tracing/spans';
import { contextFromHeaders, traceHeadersOf, TRACEPARENT_HEADER } from '../tracing/trace-context';
import { NO_TRACING, type Tracing } from '../tracing/tracing';

export interface EventPublisher {
  publish(topic: string, events: EventEnvelope[]): Promise<void>;
}

/** Idempotent producer, acks from all in-sync replicas; the outbox relay is its only caller. */
export class KafkaEventPublisher implements EventPublisher {
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;

  constructor(
    kafka: Kafka,
    private readonly tracing: Tracing = NO_TRACING,
  ) {
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

  /**
   * An event written inside a traced request carries that span's `traceparent` (CloudEvents
   * distributed tracing extension): its publish span is a child of it, and the message's
   * `traceparent` header names the publish span, the parent of the consumer's span.
   */
  async publish(topic: string, events: EventEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    await this.connect();
    const spans: OpenSpan[] = [];
    try {
      await this.producer.send({
        topic,
        acks: -1,
        messages: events.map((event) => {
          const span = this.publishSpan(topic, event);
          if (span) spans.push(span);
          return {
            key: event.partitionkey,
            value: JSON.stringify(event),
            headers: {
              'content-type': 'application/cloudevents+json; charset=utf-8',
              ce_id: event.id,
              ce_type: event.type,
              ...(event.correlationid ? { [CORRELATION_HEADER]: event.correlationid } : {}),
              ...(span ? traceHeadersOf(span.context) : {}),
            },
          };
        }),
      });
    } catch (error) {
      for (const span of spans) span.end(true);
      throw error;
    }
    for (const span of spans) span.end();
  }

  private publishSpan(topic: string, event: EventEnvelope): OpenSpan | undefined {
    const traceparent = (event as { [TRACEPARENT_HEADER]?: unknown })[TRACEPARENT_HEADER];
    // Events written outside any traced request (sweeps, schedules) start no trace of their own.
    if (typeof traceparent !== 'string') return undefined;
    return startSpan(this.tracing, `publish ${topic}`, {
      kind: SpanKind.PRODUCER,
      parent: contextFromHeaders({ [TRACEPARENT_HEADER]: traceparent }),
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.destination.name': topic,
        'messaging.message.id': event.id,
        'messngr.event_type': event.type,
      },
    });
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = undefined;
  }
}
