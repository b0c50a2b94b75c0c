import { chown, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { runChecked, type RunOptions } from './command';
import { seconds } from './elapsed';
import { LOOPBACK } from './free-port';
import { INDEX_COMPANIONS_SQL } from './ferretdb-index-companions';
import { withLogTail } from './log-tail';
import type { PostgresTools } from './prerequisites';

export interface PostgresLayout {
  /** Folder owned by the server's user: holds data/, sock/ and postgres.log. */
  dir: string;
  dataDir: string;
  socketDir: string;
  logFile: string;
}

export interface PostgresServer {
  port: number;
  /** Connection URL of the `ferretdb` database. */
  url: string;
  /** Pid of the postmaster. */
  pid: number;
  stop(): Promise<void>;
}

export function postgresLayout(dir: string): PostgresLayout {
  return {
    dir,
    dataDir: path.join(dir, 'data'),
    socketDir: path.join(dir, 'sock'),
    logFile: path.join(dir, 'postgres.log'),
  };
}

/**
 * initdb + pg_ctl start + createdb ferretdb, tuned for throwaway data (no fsync), with the
 * GIN companions that let FerretDB's finds use an index (`ferretdb-index-companions.ts`).
 * `layout.dir` must be somewhere the postgres user can reach (it is chowned to it).
 */
export async function startPostgres(
  layout: PostgresLayout,
  port: number,
  tools: PostgresTools,
  log: (line: string) => void,
): Promise<PostgresServer> {
  const started = Date.now();
  const pg = (binary: string, args: string[]): Promise<string> => runPostgresBinary(tools, binary, args, { cwd: layout.dir });

  await mkdir(layout.socketDir, { recursive: true });
  if (tools.runAs) {
    await chown(layout.dir, tools.runAs.uid, tools.runAs.gid);
    await chown(layout.socketDir, tools.runAs.uid, tools.runAs.gid);
  }
  await pg('initdb', ['-D', layout.dataDir, '--auth=trust', '-U', 'postgres', '--encoding=UTF8', '--no-locale', '--no-sync']);

  const serverOptions = [
    `-p ${port}`,
    `-k ${layout.socketDir}`,
    `-c listen_addresses=${LOOPBACK}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  try {
    await pg('pg_ctl', ['start', '-w', '-t', '60', '-D', layout.dataDir, '-l', layout.logFile, '-o', serverOptions]);
  } catch (error) {
    await stopPostgres(tools, layout, 'immediate').catch(() => undefined);
    throw new Error(withLogTail(`PostgreSQL failed to start on ${LOOPBACK}:${port}: ${messageOf(error)}`, layout.logFile));
  }

  const stop = (): Promise<void> => stopPostgres(tools, layout, 'fast');
  try {
    await pg('createdb', ['-h', LOOPBACK, '-p', String(port), '-U', 'postgres', 'ferretdb']);
    const connection = ['-h', LOOPBACK, '-p', String(port), '-U', 'postgres', '-d', 'ferretdb'];
    await pg('psql', [...connection, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', INDEX_COMPANIONS_SQL]);
    const pid = Number((await readFile(path.join(layout.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    log(`PostgreSQL ready on ${LOOPBACK}:${port} in ${seconds(started)}`);
    return { port, url: `postgres://postgres@${LOOPBACK}:${port}/ferretdb`, pid, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

async function stopPostgres(tools: PostgresTools, layout: PostgresLayout, mode: 'fast' | 'immediate'): Promise<void> {
  try {
    await runPostgresBinary(tools, 'pg_ctl', ['stop', '-m', mode, '-w', '-t', '30', '-D', layout.dataDir], { cwd: layout.dir });
  } catch (error) {
    // "no server running" (or data folder gone) means there is nothing to stop
    if (/PID file .* does not exist|Is server running|No such file or directory/.test(messageOf(error))) return;
    throw error;
  }
}

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function runPostgresBinary(tools: PostgresTools, binary: string, args: string[], options: RunOptions): Promise<string> {
  const file = path.join(tools.binDir, binary);
  return tools.runAs
    ? runChecked('runuser', ['-u', tools.runAs.name, '--', file, ...args], options)
    : runChecked(file, args, options);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
