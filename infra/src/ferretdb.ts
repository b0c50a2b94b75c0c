import { seconds } from './elapsed';
import type { FerretDBBinary } from './ferretdb-binary';
import { LOOPBACK } from './free-port';
import { ServerProcess } from './server-process';
import { waitForPort } from './wait';

export interface FerretDBServer {
  mongoUri: string;
  pid: number;
  stop(): Promise<void>;
}

export interface FerretDBFiles {
  logFile: string;
  pidFile: string;
}

/** Starts the FerretDB wrapper (it exits by itself when this process dies) and waits for its listener. */
export async function startFerretDB(
  files: FerretDBFiles,
  port: number,
  postgresUrl: string,
  build: FerretDBBinary,
  log: (line: string) => void,
): Promise<FerretDBServer> {
  const started = Date.now();
  const listen = `${LOOPBACK}:${port}`;
  const server = new ServerProcess(
    'FerretDB',
    build.binary,
    ['-listen-addr', listen, '-postgresql-url', postgresUrl, '-log-level', 'warn'],
    files,
  );
  try {
    await waitForPort(`FerretDB on ${listen}`, port, { timeoutMs: 30_000, server });
  } catch (error) {
    await server.stop(5000);
    throw error;
  }
  log(`FerretDB ${build.version} ready on ${listen} in ${seconds(started)}`);
  return { mongoUri: `mongodb://${listen}/`, pid: server.pid, stop: () => server.stop(5000) };
}
