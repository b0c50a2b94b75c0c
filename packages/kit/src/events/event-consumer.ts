import { context as otelContext } from '@opentelemetry/api';
import { Partitioners, type Consumer, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import type { Counter } from 'prom-client';
import { EventContractViolation, parseEnvelope, type EventEnvelope, type EventRoutes } from '@messngr/contracts';
import type { Logger } from '../logging/logger';
import { correlationIdFrom, CORRELATION_HEADER, runWithRequestContext } from '../logging/request-context';
import { counterOf, type ServiceMetrics } from '../metrics/metrics';
import { SpanKind, startSpan } from '../tracing/spans';
import { contextFromHeaders, remoteSpanOf } from '../tracing/trace-context';
import { NO_TRACING, type Tracing } from '../tracing/tracing';
import { ConsumerLag } from './consumer-lag';
import { failureKind } from './failure-kind';

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  routes: EventRoutes;
  logger: Logger;
  metrics?: ServiceMetrics;
  /** A consume span per message, child of the publish span its `traceparent` header names. */
  tracing?: Tracing;
  /** Attempts for an unexpected failure before the event is parked. Transient failures are retried without bound. */
  maxUnexpectedAttempts?: number;
  /** First pause between attempts; it doubles up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

class ConsumerStopping extends Error {}

/**
 * Runs a consumer group over the routes' topics. The offset is committed only after the
 * handler's effect is durable (kafkajs commits what eachMessage resolved). Handlers must be
 * idempotent by event id: delivery is at least once.
 * - An unreadable message, data failing its contract, or a rule's refusal is parked on the
 *   dead-letter topic at once, with the reason in its headers.
 * - A database or broker out of reach is waited out: the event is retried with back-off for
 *   as long as it takes, the partition waiting behind it (heartbeats keep the membership).
 * - Anything else is retried a few times, then parked, so one poison event never stalls a partition.
 */
export class EventConsumer {
  private readonly consumer: Consumer;
  private readonly deadLetters: Producer;
  private readonly outcomes: Counter<'outcome'> | undefined;
  private readonly parked: Counter<'consumer' | 'kind'> | undefined;
  private readonly lag: ConsumerLag | undefined;
  private stopping = false;

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
    this.outcomes = options.metrics
      ? counterOf(options.metrics, {
          name: 'events_consumed_total',
          help: 'Events this consumer group read, by outcome (handled, skipped, dead_lettered, retried).',
          labelNames: ['outcome'],
        })
      : undefined;
    this.parked = options.metrics
      ? counterOf(options.metrics, {
          name: 'events_dead_lettered_total',
          help: 'Events parked on a dead-letter topic, by consumer and kind (contract, refused, exhausted).',
          labelNames: ['consumer', 'kind'],
        })
      : undefined;
    this.lag = options.metrics
      ? new ConsumerLag({
          kafka: options.kafka,
          groupId: options.groupId,
          topics: options.routes.topics,
          metrics: options.metrics,
        })
      : undefined;
  }

  async start(): Promise<void> {
    this.stopping = false;
    await this.deadLetters.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.routes.topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        await this.process(topic, partition, message, heartbeat);
      },
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
    await this.deadLetters.disconnect();
    await this.lag?.close();
  }

  private async process(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<void> {
    const correlationId = correlationIdFrom(message.headers?.[CORRELATION_HEADER]?.toString());
    // Only a traced message starts a span: an untraced one (no traceparent) does not begin a trace of its own.
    const span = remoteSpanOf(message.headers)
      ? startSpan(this.options.tracing ?? NO_TRACING, `consume ${topic}`, {
          kind: SpanKind.CONSUMER,
          parent: contextFromHeaders(message.headers),
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'process',
            'messaging.destination.name': topic,
            'messaging.consumer.group.name': this.options.groupId,
            'messaging.kafka.offset': Number(message.offset),
            'messngr.correlation_id': correlationId,
          },
        })
      : undefined;
    const run = () => this.processInContext(topic, partition, message, heartbeat, correlationId);
    if (!span) return run();
    try {
      await otelContext.with(span.context, run);
      span.end();
    } catch (error) {
      span.end(true);
      throw error;
    }
  }

  private async processInContext(
    topic: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
    correlationId: string,
  ): Promise<void> {
    await runWithRequestContext({ correlationId }, async () => {
      const log = this.options.logger.child({ topic, partition, offset: message.offset });
      let work: (() => Promise<void>) | undefined;
      let envelope: EventEnvelope | undefined;
      try {
        envelope = parseEnvelope(parseJson(message.value));
        work = this.options.routes.route(envelope);
      } catch (error) {
        log.warn(
          { reason: reasonOf(error), eventId: envelope?.id },
          'event parked on the dead-letter topic: it fails its contract',
        );
        await this.park(topic, partition, message, error, 'contract', heartbeat);
        return;
      }
      if (!work) {
        this.outcomes?.inc({ outcome: 'skipped' });
        return;
      }
      await this.handle(work, { topic, partition, message, envelope, log, heartbeat });
    });
  }

  private async handle(
    work: () => Promise<void>,
    at: {
      topic: string;
      partition: number;
      message: KafkaMessage;
      envelope: EventEnvelope;
      log: Logger;
      heartbeat: () => Promise<void>;
    },
  ): Promise<void> {
    const { envelope, log } = at;
    const maxUnexpected = this.options.maxUnexpectedAttempts ?? 5;
    let unexpected = 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await work();
        this.outcomes?.inc({ outcome: 'handled' });
        return;
      } catch (error) {
        const kind = failureKind(error);
        if (kind === 'unexpected') unexpected += 1;
        if (kind === 'permanent' || unexpected >= maxUnexpected) {
          log.error(
            { err: error, eventId: envelope.id, eventType: envelope.type, attempt },
            'event parked on the dead-letter topic',
          );
          await this.park(
            at.topic,
            at.partition,
            at.message,
            error,
            kind === 'permanent' ? 'refused' : 'exhausted',
            at.heartbeat,
          );
          return;
        }
        this.outcomes?.inc({ outcome: 'retried' });
        log.warn(
          { err: error, eventId: envelope.id, attempt, kind },
          kind === 'transient' ? 'a server is out of reach; the event waits for it' : 'event handling failed; retrying',
        );
        await this.pause(attempt, at.heartbeat);
      }
    }
  }

  /** Back-off between attempts, heartbeating so the group keeps this member; ends early when stopping. */
  private async pause(attempt: number, heartbeat: () => Promise<void>): Promise<void> {
    const delay = Math.min(this.options.maxRetryDelayMs ?? 5_000, (this.options.retryDelayMs ?? 200) * 2 ** (attempt - 1));
    const until = Date.now() + delay;
    while (Date.now() < until) {
      // Not committed: the event is delivered again, to this member or another, after the stop.
      if (this.stopping) throw new ConsumerStopping('consumer stopping; the event stays uncommitted');
      await new Promise((resolve) => setTimeout(resolve, Math.min(500, until - Date.now())));
      await heartbeat().catch((error: unknown) => {
        // A rebalance takes the partition away: give the event up uncommitted for its next owner.
        if (String((error as { type?: unknown }).type) === 'REBALANCE_IN_PROGRESS') throw error;
      });
    }
  }

  private async park(
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: unknown,
    kind: 'contract' | 'refused' | 'exhausted',
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.deadLetters.send({
          topic: this.options.routes.deadLetterTopic,
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
                'dlt-kind': kind,
                'dlt-error': reasonOf(error).slice(0, 500),
                'dlt-parked-at': new Date().toISOString(),
              },
            },
          ],
        });
        this.outcomes?.inc({ outcome: 'dead_lettered' });
        this.parked?.inc({ consumer: this.options.routes.consumer, kind });
        return;
      } catch (sendError) {
        // The broker is out of reach: parking waits for it like any transient failure.
        this.options.logger.warn({ err: sendError, attempt }, 'could not park an event yet; retrying');
        await this.pause(attempt, heartbeat);
      }
    }
  }
}

function parseJson(value: Buffer | null): unknown {
  try {
    return JSON.parse(value?.toString('utf8') ?? '');
  } catch {
    throw new EventContractViolation('not JSON');
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
}
