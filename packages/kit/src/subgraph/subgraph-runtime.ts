import type { Admin, Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { AssertionVerifier } from '../auth/assertion';
import type { ServiceConfig } from '../config/service-config';
import { systemClock, type Clock } from '../core/clock';
import { KafkaEventPublisher } from '../events/event-publisher';
import { createKafka } from '../events/kafka-client';
import { UNRELAYED_OUTBOXES, type OutboxRegistry } from '../events/outbox-registry';
import { createLogger, type Logger } from '../logging/logger';
import { createMetrics, type ServiceMetrics } from '../metrics/metrics';
import { connectMongo, pingMongo } from '../mongo/mongo';
import { createTracing, type Tracing } from '../tracing/tracing';

/** The connections and tools a subgraph is built from; tests open one per in-process service. */
export interface SubgraphRuntime {
  config: ServiceConfig;
  logger: Logger;
  clock: Clock;
  connection: Connection;
  kafka: Kafka;
  publisher: KafkaEventPublisher;
  metrics: ServiceMetrics;
  /** Spans of this service, exported when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  tracing: Tracing;
  verifier: AssertionVerifier;
  /** Stores built with it are relayed; their writes with events nudge the relay. */
  outboxes: OutboxRegistry;
  readiness: { mongo: () => Promise<boolean>; kafka: () => Promise<boolean> };
  close(): Promise<void>;
}

export async function openSubgraphRuntime(
  config: ServiceConfig,
  options: { logger?: Logger; clock?: Clock; outboxes?: OutboxRegistry } = {},
): Promise<SubgraphRuntime> {
  const logger = options.logger ?? createLogger({ service: config.service, level: config.logLevel });
  const connection = await connectMongo(config.mongoUri, config.mongoDatabase);
  const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: `messngr-${config.service}`, logger });
  const tracing = createTracing({ service: config.service, otlpEndpoint: config.otlpEndpoint });
  const publisher = new KafkaEventPublisher(kafka, tracing);
  const kafkaReadiness = cachedKafkaCheck(kafka.admin());
  return {
    config,
    logger,
    clock: options.clock ?? systemClock,
    connection,
    kafka,
    publisher,
    metrics: createMetrics(config.service),
    tracing,
    verifier: await AssertionVerifier.fromJwk(config.assertionPublicKey, config.service),
    outboxes: options.outboxes ?? UNRELAYED_OUTBOXES,
    readiness: { mongo: () => pingMongo(connection), kafka: kafkaReadiness.check },
    async close() {
      await publisher.disconnect();
      await kafkaReadiness.close();
      await connection.close();
      await tracing.shutdown();
    },
  };
}

function cachedKafkaCheck(admin: Admin) {
  let connected: Promise<void> | undefined;
  let last = { at: 0, ok: false };
  return {
    async check(): Promise<boolean> {
      if (Date.now() - last.at < 5_000) return last.ok;
      try {
        connected ??= admin.connect();
        await connected;
        await admin.describeCluster();
        last = { at: Date.now(), ok: true };
      } catch {
        connected = undefined;
        last = { at: Date.now(), ok: false };
      }
      return last.ok;
    },
    async close(): Promise<void> {
      if (connected) await admin.disconnect().catch(() => undefined);
    },
  };
}
