import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildInfrastructure } from './build';
import type { CleanupPlan } from './cleanup-plan';
import { seconds } from './elapsed';
import { cleanUpOnExit } from './exit-hooks';
import { startFerretDB, type FerretDBFiles, type FerretDBServer } from './ferretdb';
import { resolvePort } from './free-port';
import { kafkaLayout, startKafka, type KafkaServer } from './kafka';
import { postgresLayout, startPostgres, type PostgresLayout, type PostgresServer } from './postgres';
import { requireJava, requirePostgres, type PostgresTools } from './prerequisites';
import type { TopicSpec } from '@messngr/contracts';
import { ensureTopics } from '@messngr/kit/events';
import { startWatchdog, type Watchdog } from './watchdog';

export interface InfrastructureOptions {
  /** e.g. "dev" or "test"; used in folder names. */
  name: string;
  /** 0 or undefined => a free port. */
  ports?: { postgres?: number; mongo?: number; kafka?: number; kafkaController?: number };
  /** Created once Kafka is ready. */
  topics?: readonly TopicSpec[];
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
  assertInfrastructureName(options.name);
  const started = Date.now();
  const postgresTools = requirePostgres();
  const java = await requireJava();
  const built = await buildInfrastructure(log);
  const ports = await resolvePorts(options.ports ?? {});

  const root = await createGuardedRoot(options.name, postgresTools, (dir) => [kafkaPidFile(dir)]);
  const { rootDir, cleanupPlan, watchdog, postgresLayout: pgLayout, ferretdbFiles: ferretFiles } = root;
  const kLayout = kafkaLayout(path.join(rootDir, 'kafka'), kafkaPidFile(rootDir));

  let postgres: PostgresServer | undefined;
  let kafka: KafkaServer | undefined;
  let ferretdb: FerretDBServer | undefined;
  const stopAll = async (): Promise<void> => {
    const results = await Promise.allSettled([stopFerretDBThenPostgres(ferretdb, postgres), kafka?.stop()]);
    await root.release();
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
      await ensureTopics(kafkaResult.value.brokers.split(','), options.topics);
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
  const pick = portPicker();
  return {
    postgres: await pick(requested.postgres, 'PostgreSQL'),
    mongo: await pick(requested.mongo, 'FerretDB (MongoDB wire)'),
    kafka: await pick(requested.kafka, 'Kafka'),
    kafkaController: await pick(requested.kafkaController, 'Kafka controller'),
  };
}

// Shared with disposable-mongo.ts, which starts a PostgreSQL + FerretDB pair of its own.

export function assertInfrastructureName(name: string): void {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(name)) {
    throw new Error(`infrastructure name ${JSON.stringify(name)} must be 1-32 letters, digits, '-' or '_'`);
  }
}

/** Resolves ports (requested, or free when 0/undefined) and never hands out the same one twice. */
export function portPicker(): (port: number | undefined, what: string) => Promise<number> {
  const taken = new Set<number>();
  return async (port, what) => {
    for (;;) {
      const resolved = await resolvePort(port, what);
      if (!taken.has(resolved)) {
        taken.add(resolved);
        return resolved;
      }
      if (port) throw new Error(`port ${port} is requested for two servers`);
    }
  };
}

/** A temporary folder for a PostgreSQL + FerretDB pair, torn down by a watchdog and exit hooks should we die. */
export interface GuardedRoot {
  rootDir: string;
  postgresLayout: PostgresLayout;
  /** FerretDB's log and pid file; the plan reads the pid file at clean-up time, so a restarted FerretDB is covered too. */
  ferretdbFiles: FerretDBFiles;
  cleanupPlan: CleanupPlan;
  watchdog: Watchdog;
  /** After a normal stop: removes the folder, unregisters the exit hook and dismisses the watchdog. */
  release(): Promise<void>;
}

/**
 * Creates the folder and, before any server starts, the watchdog and exit hooks that carry out
 * its cleanup plan: SIGKILL the servers in the pid files (FerretDB's, plus `extraPidFiles`),
 * `pg_ctl stop -m immediate` the cluster, delete the folder.
 */
export async function createGuardedRoot(
  name: string,
  postgresTools: PostgresTools,
  extraPidFiles: (rootDir: string) => string[] = () => [],
): Promise<GuardedRoot> {
  // Under os.tmpdir(), not the repo: the postgres user must be able to reach the data folder.
  const rootDir = await mkdtemp(path.join(os.tmpdir(), `messngr-idp-${name}-`));
  await chmod(rootDir, 0o755);
  const pgLayout = postgresLayout(path.join(rootDir, 'postgres'));
  const ferretdbFiles: FerretDBFiles = {
    logFile: path.join(rootDir, 'ferretdb.log'),
    pidFile: path.join(rootDir, 'ferretdb.pid'),
  };
  const cleanupPlan: CleanupPlan = {
    pidFiles: [ferretdbFiles.pidFile, ...extraPidFiles(rootDir)],
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
  return {
    rootDir,
    postgresLayout: pgLayout,
    ferretdbFiles,
    cleanupPlan,
    watchdog,
    release: async () => {
      await rm(rootDir, { recursive: true, force: true });
      unregisterExitHook();
      watchdog.dismiss();
    },
  };
}

/** Stops FerretDB, then PostgreSQL (its only client gone first) even when FerretDB's stop fails. */
export async function stopFerretDBThenPostgres(
  ferretdb: FerretDBServer | undefined,
  postgres: PostgresServer | undefined,
): Promise<void> {
  try {
    await ferretdb?.stop();
  } finally {
    await postgres?.stop();
  }
}

function kafkaPidFile(rootDir: string): string {
  return path.join(rootDir, 'kafka.pid');
}
