import type { Admin, Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { AssertionVerifier } from './assertion';
import { systemClock, type Clock } from './clock';
import type { EventConsumer } from './event-consumer';
import { KafkaEventPublisher } from './event-publisher';
import type { Listening } from './http-app';
import { ensureTopics } from './ensure-topics';
import { createKafka } from './kafka-client';
import { createLogger, type Logger } from './logger';
import { createMetrics, type ServiceMetrics } from './metrics';
import { connectMongo, ensureIndexes, pingMongo } from './mongo';
import type { OutboxRelay } from './outbox-relay';
import type { ServiceConfig } from './service-config';
import { createSubgraphServer, type SubgraphServer, type SubgraphServerOptions } from './subgraph-server';

/** The connections and tools a service is built from; tests build one per in-process service. */
export interface ServiceRuntime {
  config: ServiceConfig;
  logger: Logger;
  clock: Clock;
  connection: Connection;
  kafka: Kafka;
  publisher: KafkaEventPublisher;
  metrics: ServiceMetrics;
  verifier: AssertionVerifier;
  readiness: { mongo: () => Promise<boolean>; kafka: () => Promise<boolean> };
  close(): Promise<void>;
}

export interface ServiceParts {
  server: SubgraphServer;
  relay?: OutboxRelay;
  consumers?: EventConsumer[];
  /** Work to do once models are registered and before serving (e.g. seed the platform tenant). */
  prepare?: () => Promise<void>;
}

export interface RunningService {
  url: string;
  parts: ServiceParts;
  stop(): Promise<void>;
}

export async function openServiceRuntime(
  config: ServiceConfig,
  options: { logger?: Logger; clock?: Clock } = {},
): Promise<ServiceRuntime> {
  const logger = options.logger ?? createLogger({ service: config.service, level: config.logLevel });
  const connection = await connectMongo(config.mongoUri, config.mongoDatabase);
  const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: `messngr-${config.service}`, logger });
  const publisher = new KafkaEventPublisher(kafka);
  const kafkaReadiness = cachedKafkaCheck(kafka.admin());
  return {
    config,
    logger,
    clock: options.clock ?? systemClock,
    connection,
    kafka,
    publisher,
    metrics: createMetrics(config.service),
    verifier: await AssertionVerifier.fromJwk(config.assertionPublicKey, config.service),
    readiness: { mongo: () => pingMongo(connection), kafka: kafkaReadiness.check },
    async close() {
      await publisher.disconnect();
      await kafkaReadiness.close();
      await connection.close();
    },
  };
}

/**
 * Brings a built service up: indexes, consumers, outbox relay, then HTTP. The returned
 * `stop()` is the graceful shutdown: stop accepting requests, stop consuming, flush the
 * relay, close connections.
 */
export async function runService(runtime: ServiceRuntime, parts: ServiceParts): Promise<RunningService> {
  const { config, logger } = runtime;
  await Promise.all([ensureIndexes(runtime.connection), ensureTopics(runtime.kafka)]);
  await parts.prepare?.();
  await runtime.publisher.connect();
  for (const consumer of parts.consumers ?? []) await consumer.start();
  parts.relay?.start();
  const listening: Listening = await parts.server.listen(config.port, config.host);
  logger.info({ url: listening.url }, `${config.service} subgraph listening`);
  let stopping: Promise<void> | undefined;
  return {
    url: listening.url,
    parts,
    stop: () => {
      stopping ??= (async () => {
        await listening.close();
        for (const consumer of parts.consumers ?? []) await consumer.stop();
        await parts.relay?.stop();
        await parts.server.stop();
        await runtime.close();
        logger.info(`${config.service} subgraph stopped`);
      })();
      return stopping;
    },
  };
}

/** The subgraph server of a service, with everything the runtime already knows filled in. */
export function createRuntimeSubgraph(
  runtime: ServiceRuntime,
  options: Pick<SubgraphServerOptions, 'typeDefs' | 'resolvers' | 'routes'>,
): Promise<SubgraphServer> {
  return createSubgraphServer({
    verifier: runtime.verifier,
    logger: runtime.logger,
    metrics: runtime.metrics,
    readiness: runtime.readiness,
    production: runtime.config.production,
    ...options,
  });
}

/** A service's `index.ts`: read config, open connections, build, serve, stop on signals. */
export function runServiceProcess<Config extends ServiceConfig>(
  parseConfig: () => Config,
  build: (runtime: ServiceRuntime, config: Config) => Promise<ServiceParts>,
): void {
  (async () => {
    const config = parseConfig();
    const runtime = await openServiceRuntime(config);
    const service = await runService(runtime, await build(runtime, config));
    stopOnSignals(service, runtime.logger);
  })().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

/** Stops the service on SIGINT/SIGTERM; a second signal exits at once. */
export function stopOnSignals(service: RunningService, logger: Logger): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(1);
    signalled = true;
    logger.info({ signal }, 'shutting down');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
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
