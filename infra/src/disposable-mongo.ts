import { rm } from 'node:fs/promises';
import { seconds } from './elapsed';
import { startFerretDB, type FerretDBServer } from './ferretdb';
import { ensureFerretDBBinary } from './ferretdb-binary';
import { assertPortFree } from './free-port';
import { assertInfrastructureName, createGuardedRoot, portPicker, stopFerretDBThenPostgres } from './infrastructure';
import { startPostgres, type PostgresServer } from './postgres';
import { requirePostgres } from './prerequisites';

export interface DisposableMongoOptions {
  /** e.g. "outage"; used in the folder name (1-32 letters, digits, '-' or '_'). */
  name: string;
  /** Progress lines. */
  log?: (line: string) => void;
}

/**
 * A PostgreSQL + FerretDB pair of one's own, for tests that stop and restart the database
 * server (which they must not do to the shared one). Cleaned up like launchInfrastructure's:
 * a watchdog and exit hooks tear it down even when this process is killed with SIGKILL.
 */
export interface DisposableMongo {
  /** mongodb://127.0.0.1:<port>/ of its FerretDB; the same across restarts. */
  mongoUri: string;
  /** Its temporary folder (PostgreSQL cluster, FerretDB log and pid file); stop() removes it. */
  rootDir: string;
  /** Pids of its servers now: FerretDB's changes with every restart and is null while it is stopped. */
  pids(): { postgres: number; ferretdb: number | null; watchdog: number };
  /** Stops FerretDB (the MongoDB-wire server); PostgreSQL keeps running. Clients see connection refused. */
  stopServer(): Promise<void>;
  /** Starts FerretDB again on the same port against the same PostgreSQL data; resolves when it accepts connections. */
  startServer(): Promise<void>;
  /** Stops everything and removes its folders; safe to call twice, also after a failed start. */
  stop(): Promise<void>;
}

const MONGO_WIRE = 'FerretDB (MongoDB wire)';

export async function startDisposableMongo(options: DisposableMongoOptions): Promise<DisposableMongo> {
  const log = options.log ?? (() => undefined);
  assertInfrastructureName(options.name);
  const started = Date.now();
  const postgresTools = requirePostgres();
  const ferretdbBinary = await ensureFerretDBBinary(log); // no Kafka here, so not buildInfrastructure
  const pick = portPicker();
  const ports = { postgres: await pick(undefined, 'PostgreSQL'), mongo: await pick(undefined, MONGO_WIRE) };
  // The watchdog and exit hooks are armed before any server starts.
  const root = await createGuardedRoot(`mongo-${options.name}`, postgresTools);

  let postgres: PostgresServer | undefined;
  let ferretdb: FerretDBServer | undefined;

  // stopServer, startServer and stop run one at a time, in call order.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(step: () => Promise<T>): Promise<T> => {
    const result = queue.then(step);
    queue = result.catch(() => undefined);
    return result;
  };

  const startServer = async (): Promise<FerretDBServer> => {
    if (ferretdb) return ferretdb;
    if (!postgres) throw new Error(`disposable mongo '${options.name}' has no PostgreSQL`);
    // Otherwise a stranger on our port would look like FerretDB accepting connections.
    await assertPortFree(ports.mongo, MONGO_WIRE);
    // Rewrites the pid file that the watchdog and exit hooks read at clean-up time.
    ferretdb = await startFerretDB(root.ferretdbFiles, ports.mongo, postgres.url, ferretdbBinary, log);
    return ferretdb;
  };

  const stopServer = async (): Promise<void> => {
    const server = ferretdb;
    if (!server) return;
    ferretdb = undefined;
    await server.stop();
    // A stale pid must not be SIGKILLed by a clean-up should the system reuse it.
    if (!isAlive(server.pid)) await rm(root.ferretdbFiles.pidFile, { force: true });
    log(`FerretDB of disposable mongo '${options.name}' stopped`);
  };

  const stopAll = async (): Promise<void> => {
    try {
      await stopFerretDBThenPostgres(ferretdb, postgres);
    } finally {
      ferretdb = undefined;
      postgres = undefined;
      await root.release();
    }
  };

  let postgresPid: number;
  let mongoUri: string;
  try {
    postgres = await startPostgres(root.postgresLayout, ports.postgres, postgresTools, log);
    postgresPid = postgres.pid;
    mongoUri = (await startServer()).mongoUri;
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
  log(`disposable mongo '${options.name}' ready on ${mongoUri} in ${seconds(started)}`);

  let stopping: Promise<void> | undefined;
  return {
    mongoUri,
    rootDir: root.rootDir,
    pids: () => ({ postgres: postgresPid, ferretdb: ferretdb?.pid ?? null, watchdog: root.watchdog.pid }),
    stopServer: () => serially(stopServer),
    startServer: () =>
      stopping
        ? Promise.reject(new Error(`disposable mongo '${options.name}' is stopped`))
        : serially(async () => {
            await startServer();
          }),
    stop: () => (stopping ??= serially(stopAll)),
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
