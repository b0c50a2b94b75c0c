import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runCommand } from './command';
import { infraDir } from './paths';

/** Where the PostgreSQL server binaries are, and whom to run them as. */
export interface PostgresTools {
  binDir: string;
  /** The `postgres` system user when we are root (PostgreSQL refuses to run as root), otherwise null. */
  runAs: SystemUser | null;
}

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

const POSTGRES_BINARIES = ['initdb', 'pg_ctl', 'createdb', 'psql', 'postgres'];

export function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

export async function requireJava(): Promise<string> {
  const javaHome = process.env.JAVA_HOME;
  const java =
    javaHome && isExecutable(path.join(javaHome, 'bin', 'java')) ? path.join(javaHome, 'bin', 'java') : findOnPath('java');
  if (!java) {
    throw new Error('Java 11+ not found (JAVA_HOME or PATH); Kafka needs it: apt-get install openjdk-17-jre-headless');
  }
  const { output } = await runCommand(java, ['-version']);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0;
  if (major < 11) {
    throw new Error(
      `Java 11+ required by Kafka, found ${java} (${output.split('\n')[0] ?? 'unknown version'}): apt-get install openjdk-17-jre-headless`,
    );
  }
  return java;
}

export function requireMaven(): string {
  const mvn = findOnPath('mvn');
  if (!mvn) throw new Error('Maven not found on PATH; it fetches the Kafka jars on first run: apt-get install maven');
  return mvn;
}

export async function requireGo(): Promise<string> {
  const go = findOnPath('go');
  const wanted = goDirective();
  if (!go) {
    throw new Error(`Go ${wanted}+ not found on PATH; it builds FerretDB on first run: install it from https://go.dev/dl/`);
  }
  const { output } = await runCommand(go, ['env', 'GOVERSION'], { env: { ...process.env, GOTOOLCHAIN: 'local' } });
  const match = /go(\d+)\.(\d+)/.exec(output);
  if (!match || compareVersions([Number(match[1]), Number(match[2])], wanted.split('.').map(Number)) < 0) {
    throw new Error(
      `Go ${wanted}+ required to build FerretDB, found ${output.trim() || 'unknown version'} at ${go}: install it from https://go.dev/dl/`,
    );
  }
  return go;
}

/** Finds the PostgreSQL server binaries: $POSTGRES_BIN_DIR, else the newest /usr/lib/postgresql/<v>/bin, else PATH. */
export function requirePostgres(): PostgresTools {
  const binDir = findPostgresBinDir();
  if (!binDir) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in $POSTGRES_BIN_DIR, /usr/lib/postgresql/*/bin or PATH: apt-get install postgresql',
    );
  }
  if (process.getuid?.() !== 0) return { binDir, runAs: null };

  if (!findOnPath('runuser')) {
    throw new Error('runuser not found; as root it is needed to run PostgreSQL as the postgres user: apt-get install util-linux');
  }
  const runAs = systemUser('postgres');
  if (!runAs) {
    throw new Error(
      "PostgreSQL refuses to run as root and there is no 'postgres' system user: apt-get install postgresql (creates it) or useradd --system postgres",
    );
  }
  return { binDir, runAs };
}

function findPostgresBinDir(): string | null {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  if (fromEnv) {
    if (!hasPostgresBinaries(fromEnv)) {
      throw new Error(`POSTGRES_BIN_DIR=${fromEnv} does not contain ${POSTGRES_BINARIES.join(', ')}`);
    }
    return fromEnv;
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => compareVersions(b.split('.').map(Number), a.split('.').map(Number)));
    for (const version of versions) {
      const dir = path.join(root, version, 'bin');
      if (hasPostgresBinaries(dir)) return dir;
    }
  }
  const pgCtl = findOnPath('pg_ctl');
  return pgCtl && hasPostgresBinaries(path.dirname(pgCtl)) ? path.dirname(pgCtl) : null;
}

function hasPostgresBinaries(dir: string): boolean {
  return POSTGRES_BINARIES.every((name) => isExecutable(path.join(dir, name)));
}

function systemUser(name: string): SystemUser | null {
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return null;
  }
  const fields = passwd
    .split('\n')
    .find((line) => line.startsWith(`${name}:`))
    ?.split(':');
  if (!fields || fields.length < 4) return null;
  return { name, uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** The `go` directive of infra/ferretdb/go.mod, e.g. "1.24". */
function goDirective(): string {
  const goMod = readFileSync(path.join(infraDir, 'ferretdb', 'go.mod'), 'utf8');
  return /^go (\d+\.\d+)/m.exec(goMod)?.[1] ?? '1.24';
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
