import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildInfrastructure } from './build';
import type { CleanupPlan } from './cleanup-plan';
import { seconds } from './elapsed';
import { cleanUpOnExit } from './exit-hooks';
import { startFerretDB, type FerretDBServer } from './ferretdb';
import { resolvePort } from './free-port';
import { kafkaLayout, startKafka, type KafkaServer } from './kafka';
import { postgresLayout, startPostgres, type PostgresServer } from './postgres';
import { requireJava, requirePostgres } from './prerequisites';
import { createTopics, type TopicSpec } from './topics';
import { startWatchdog } from './watchdog';

export interface InfrastructureOptions {
  /** e.g. "dev" or "test"; used in folder names. */
  name: string;
  /** 0 or undefined => a free port. */
  ports?: { postgres?: number; mongo?: number; kafka?: number; kafkaController?: number };
  /** Created once Kafka is ready. */
  topics?: TopicSpec[];
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface RunningInfrastructure {
  mongoUri: string;
  kafkaBrokers: string;
  stop(): Promise<void>;
}

/** What `infra up` records in its state file. */
export interface InfrastructureDetails {
  rootDir: string;
  ports: { postgres: number; mongo: number; kafka: number; kafkaController: number };
  pids: { postgres: number; kafka: number; ferretdb: number; watchdog: number };
  cleanupPlan: CleanupPlan;
}

export async function launchInfrastructure(
  options: InfrastructureOptions,
): Promise<{ running: RunningInfrastructure; details: InfrastructureDetails }> {
  const log = options.log ?? (() => undefined);
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(options.name)) {
    throw new Error(`infrastructure name ${JSON.stringify(options.name)} must be 1-32 letters, digits, '-' or '_'`);
  }
  const started = Date.now();
  const postgresTools = requirePostgres();
  const java = await requireJava();
  const built = await buildInfrastructure(log);
  const ports = await resolvePorts(options.ports ?? {});

  // Under os.tmpdir(), not the repo: the postgres user must be able to reach the data folder.
  const rootDir = await mkdtemp(path.join(os.tmpdir(), `messngr-idp-${options.name}-`));
  await chmod(rootDir, 0o755);
  const pgLayout = postgresLayout(path.join(rootDir, 'postgres'));
  const kLayout = kafkaLayout(path.join(rootDir, 'kafka'), path.join(rootDir, 'kafka.pid'));
  const ferretFiles = { logFile: path.join(rootDir, 'ferretdb.log'), pidFile: path.join(rootDir, 'ferretdb.pid') };
  const cleanupPlan: CleanupPlan = {
    pidFiles: [ferretFiles.pidFile, kLayout.pidFile],
    postgres: [
      {
        pgCtl: path.join(postgresTools.binDir, 'pg_ctl'),
        dataDir: pgLayout.dataDir,
        runAsUser: postgresTools.runAs?.name ?? null,
      },
    ],
    removeDirs: [rootDir],
  };
  const watchdog = startWatchdog(cleanupPlan);
  const unregisterExitHook = cleanUpOnExit(cleanupPlan, watchdog);

  let postgres: PostgresServer | undefined;
  let kafka: KafkaServer | undefined;
  let ferretdb: FerretDBServer | undefined;
  const stopAll = async (): Promise<void> => {
    const results = await Promise.allSettled([
      (async () => {
        try {
          await ferretdb?.stop();
        } finally {
          await postgres?.stop(); // after FerretDB, its only client
        }
      })(),
      kafka?.stop(),
    ]);
    await rm(rootDir, { recursive: true, force: true });
    unregisterExitHook();
    watchdog.dismiss();
    const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failures.length > 0) {
      throw new AggregateError(
        failures.map((failure) => failure.reason as unknown),
        `stopping infrastructure '${options.name}' failed`,
      );
    }
  };

  try {
    // Kafka does not need PostgreSQL: start both at once, FerretDB once PostgreSQL is up.
    const [pgResult, kafkaResult] = await Promise.allSettled([
      startPostgres(pgLayout, ports.postgres, postgresTools, log),
      startKafka(kLayout, { broker: ports.kafka, controller: ports.kafkaController }, java, built.kafka, log),
    ]);
    if (pgResult.status === 'fulfilled') postgres = pgResult.value;
    if (kafkaResult.status === 'fulfilled') kafka = kafkaResult.value;
    if (pgResult.status === 'rejected') throw pgResult.reason;
    if (kafkaResult.status === 'rejected') throw kafkaResult.reason;

    ferretdb = await startFerretDB(ferretFiles, ports.mongo, pgResult.value.url, built.ferretdb, log);

    if (options.topics?.length) {
      await createTopics(kafkaResult.value.brokers, options.topics);
      log(`created topics ${options.topics.map((topic) => `${topic.name}(${topic.partitions})`).join(', ')}`);
    }
    log(`infrastructure '${options.name}' ready in ${seconds(started)}`);

    let stopping: Promise<void> | undefined;
    return {
      running: {
        mongoUri: ferretdb.mongoUri,
        kafkaBrokers: kafkaResult.value.brokers,
        stop: () => (stopping ??= stopAll()),
      },
      details: {
        rootDir,
        ports,
        pids: { postgres: pgResult.value.pid, kafka: kafkaResult.value.pid, ferretdb: ferretdb.pid, watchdog: watchdog.pid },
        cleanupPlan,
      },
    };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}

export async function startInfrastructure(options: InfrastructureOptions): Promise<RunningInfrastructure> {
  return (await launchInfrastructure(options)).running;
}

async function resolvePorts(requested: NonNullable<InfrastructureOptions['ports']>): Promise<InfrastructureDetails['ports']> {
  const taken = new Set<number>();
  const pick = async (port: number | undefined, what: string): Promise<number> => {
    for (;;) {
      const resolved = await resolvePort(port, what);
      if (!taken.has(resolved)) {
        taken.add(resolved);
        return resolved;
      }
      if (port) throw new Error(`port ${port} is requested for two servers`);
    }
  };
  return {
    postgres: await pick(requested.postgres, 'PostgreSQL'),
    mongo: await pick(requested.mongo, 'FerretDB (MongoDB wire)'),
    kafka: await pick(requested.kafka, 'Kafka'),
    kafkaController: await pick(requested.kafkaController, 'Kafka controller'),
  };
}
