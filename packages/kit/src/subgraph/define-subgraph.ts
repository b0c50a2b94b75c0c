import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import { parse } from 'graphql';
import {
  ALL_TOPICS,
  isProducerService,
  producerTopic,
  subgraphNamed,
  type EventRoutes,
  type SubgraphName,
} from '@messngr/contracts';
import type { ServiceConfig } from '../config/service-config';
import type { Clock } from '../core/clock';
import { findRepoRoot } from '../core/repo-paths';
import { ensureTopics } from '../events/ensure-topics';
import { EventConsumer } from '../events/event-consumer';
import { CollectedOutboxes } from '../events/outbox-registry';
import { OutboxRelay } from '../events/outbox-relay';
import type { Listening } from '../http/http-app';
import type { Logger } from '../logging/logger';
import { ensureIndexes } from '../mongo/mongo';
import { openSubgraphRuntime, type SubgraphRuntime } from './subgraph-runtime';
import { createSubgraphServer, type RouteGuards, type SubgraphResolvers } from './subgraph-server';

/**
 * A subgraph in one declaration: the kit reads its config, opens its connections, builds
 * its dependencies, serves its schema, relays its outboxes, runs its consumer and stops it
 * all again. Every service's `server.ts` is one of these; its `index.ts` runs it.
 */
export interface SubgraphDefinition<Config extends ServiceConfig, Deps> {
  /** Its schema is the file the contracts name for it (`SUBGRAPHS[].schema`), the one composition reads. */
  name: SubgraphName;
  parseConfig(env: NodeJS.ProcessEnv): Config;
  dependencies(runtime: SubgraphRuntime, config: Config): Deps;
  // NoInfer: Deps is what `dependencies` builds, not what another member happens to ask for.
  resolvers(deps: NoInfer<Deps>): SubgraphResolvers;
  /** What it consumes: `eventRoutes(service, handlers)` from the contracts. */
  consumes?(deps: NoInfer<Deps>): EventRoutes;
  /** Extra HTTP routes, mounted before `/graphql`; `guards.gatewayOnly` admits only requests the gateway vouches for. */
  routes?(app: Express, deps: NoInfer<Deps>, config: NoInfer<Config>, guards: RouteGuards): void;
  /** Start-up work once indexes exist and before serving (e.g. seed the platform tenant). */
  prepare?(deps: NoInfer<Deps>): Promise<void>;
  /** Work that runs beside requests (couriers, schedules): started after the consumer, stopped first. */
  workers?(deps: NoInfer<Deps>): BackgroundWorker[];
}

export interface BackgroundWorker {
  start(): void;
  stop(): Promise<void>;
}

/** Identity at run time; it lets TypeScript infer Config and Deps from the declaration. */
export function defineSubgraph<Config extends ServiceConfig, Deps>(
  definition: SubgraphDefinition<Config, Deps>,
): SubgraphDefinition<Config, Deps> {
  return definition;
}

export interface RunningSubgraph<Deps> {
  url: string;
  /** The operations port's base URL: `/metrics`, `/healthz`, `/readyz`. */
  adminUrl: string;
  deps: Deps;
  runtime: SubgraphRuntime;
  relay: OutboxRelay | undefined;
  consumer: EventConsumer | undefined;
  stop(): Promise<void>;
}

/**
 * Brings a subgraph up: connections, dependencies, indexes and topics, start-up work,
 * consumer, outbox relay, then HTTP. `stop()` is the graceful shutdown: stop accepting
 * requests, stop consuming, flush the relay, close connections.
 */
export async function startSubgraph<Config extends ServiceConfig, Deps>(
  definition: SubgraphDefinition<Config, Deps>,
  config: Config,
  options: { logger?: Logger; clock?: Clock } = {},
): Promise<RunningSubgraph<Deps>> {
  const outboxes = new CollectedOutboxes();
  const runtime = await openSubgraphRuntime(config, { ...options, outboxes });
  const { logger } = runtime;
  let relay: OutboxRelay | undefined;
  let consumer: EventConsumer | undefined;
  let stopWorkers: () => Promise<unknown> = async () => undefined;
  let listening: Listening | undefined;
  let operating: Listening | undefined;
  try {
    const deps = definition.dependencies(runtime, config);
    // Every store built with the runtime registered its outbox: they publish to the service's topic.
    if (outboxes.sources.length > 0) {
      if (!isProducerService(definition.name)) throw new Error(`${definition.name} has no topic of its own to publish to`);
      const topic = producerTopic(definition.name);
      const started = new OutboxRelay({
        sources: outboxes.sources.map((source) => ({ source, topic })),
        publisher: runtime.publisher,
        logger,
        metrics: runtime.metrics,
      });
      outboxes.onNudge(() => started.nudge());
      relay = started;
    }
    const server = await createSubgraphServer({
      typeDefs: parse(readFileSync(join(findRepoRoot(__dirname), subgraphNamed(definition.name).schema), 'utf8')),
      resolvers: definition.resolvers(deps),
      verifier: runtime.verifier,
      logger,
      metrics: runtime.metrics,
      tracing: runtime.tracing,
      readiness: runtime.readiness,
      production: config.production,
      routes: definition.routes ? (app, guards) => definition.routes?.(app, deps, config, guards) : undefined,
    });
    await Promise.all([ensureIndexes(runtime.connection), ensureTopics(runtime.kafka, ALL_TOPICS)]);
    await definition.prepare?.(deps);
    await runtime.publisher.connect();
    if (definition.consumes) {
      consumer = new EventConsumer({
        kafka: runtime.kafka,
        groupId: config.kafkaGroupId,
        routes: definition.consumes(deps),
        logger,
        metrics: runtime.metrics,
        tracing: runtime.tracing,
      });
      await consumer.start();
    }
    relay?.start();
    const workers = definition.workers?.(deps) ?? [];
    for (const worker of workers) worker.start();
    stopWorkers = () => Promise.all(workers.map((worker) => worker.stop()));
    operating = await server.listenAdmin(config.adminPort ?? 0, config.adminHost ?? config.host);
    listening = await server.listen(config.port, config.host);
    logger.info({ url: listening.url, adminUrl: operating.url }, `${config.service} subgraph listening`);
    const serving = listening;
    const admin = operating;
    let stopping: Promise<void> | undefined;
    return {
      url: serving.url,
      adminUrl: admin.url,
      deps,
      runtime,
      relay,
      consumer,
      stop: () => {
        stopping ??= (async () => {
          await serving.close();
          await admin.close();
          await stopWorkers();
          await consumer?.stop();
          await relay?.stop();
          await server.stop();
          await runtime.close();
          logger.info(`${config.service} subgraph stopped`);
        })();
        return stopping;
      },
    };
  } catch (error) {
    await listening?.close().catch(() => undefined);
    await operating?.close().catch(() => undefined);
    await stopWorkers().catch(() => undefined);
    await consumer?.stop().catch(() => undefined);
    await relay?.stop().catch(() => undefined);
    await runtime.close().catch(() => undefined);
    throw error;
  }
}

/** A service's `index.ts`: read config, start, stop on SIGINT/SIGTERM (a second signal exits at once). */
export function runSubgraphProcess<Config extends ServiceConfig, Deps>(definition: SubgraphDefinition<Config, Deps>): void {
  (async () => {
    const running = await startSubgraph(definition, definition.parseConfig(process.env));
    stopOnSignals(running.stop, running.runtime.logger);
  })().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(1);
    signalled = true;
    logger.info({ signal }, 'shutting down');
    stop().then(
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
