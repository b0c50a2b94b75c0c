import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { mongo } from 'mongoose';
import { startDisposableMongo, type DisposableMongo } from '@messngr/infra';
import { eventually } from './harness/eventually';

/**
 * A PostgreSQL + FerretDB pair of the test's own (not the shared one from the global setup):
 * FerretDB really stops and restarts, and nothing of it outlives stop() or a SIGKILL.
 */
describe('disposable MongoDB-compatible server', () => {
  let db: DisposableMongo | undefined;
  let client: mongo.MongoClient | undefined;
  let killedRunner: ChildProcess | undefined;

  afterAll(async () => {
    await client?.close(true);
    await db?.stop();
    killedRunner?.kill('SIGKILL');
  });

  it('keeps its data across a FerretDB restart on the same port, and stop() leaves nothing behind', async () => {
    db = await startDisposableMongo({ name: 'e2e-restart' });
    expect(db.mongoUri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    expect(db.mongoUri).not.toBe(process.env['MONGODB_URI']);
    const port = Number(new URL(db.mongoUri).port);
    const firstPids = db.pids();

    // Short timeouts: a refused ping fails in ~1.5s instead of the driver's default 30s.
    client = new mongo.MongoClient(db.mongoUri, { serverSelectionTimeoutMS: 1500, connectTimeoutMS: 1000 });
    const things = client.db('outage').collection<{ _id: string; n: number }>('things');
    await things.insertOne({ _id: 'before', n: 1 });

    await db.stopServer();
    expect(db.pids().ferretdb).toBeNull();
    expect(isRunning(firstPids.ferretdb!)).toBe(false);
    expect(isRunning(firstPids.postgres)).toBe(true); // PostgreSQL keeps running
    expect(await connectError(port)).toBe('ECONNREFUSED');
    await expect(client.db('admin').command({ ping: 1 })).rejects.toThrow();

    await db.startServer();
    const restartedPid = db.pids().ferretdb!;
    expect(restartedPid).not.toBe(firstPids.ferretdb);
    // The watchdog and exit hooks read this file at clean-up time: it names the restarted server.
    expect(readPidFile(path.join(db.rootDir, 'ferretdb.pid'))).toBe(restartedPid);

    // Same client: the driver reconnects by itself.
    expect(await things.findOne({ _id: 'before' })).toEqual({ _id: 'before', n: 1 });
    await things.insertOne({ _id: 'after', n: 2 });
    expect(await things.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'after', n: 2 },
      { _id: 'before', n: 1 },
    ]);
    await client.close(true);
    client = undefined;

    const servers = [firstPids.postgres, ...childrenOf(firstPids.postgres), restartedPid];
    const { rootDir } = db;
    await db.stop();
    await db.stop(); // twice is fine
    await expect(db.startServer()).rejects.toThrow(/stopped/);
    expect(servers.filter(isRunning)).toEqual([]);
    expect(existsSync(rootDir)).toBe(false);
    await eventually(async () => expect(isRunning(firstPids.watchdog)).toBe(false), { timeoutMs: 5000 });
    expect(await connectError(port)).toBe('ECONNREFUSED');
  }, 30_000);

  it('is cleaned up by its watchdog when the process that started it is killed with SIGKILL, restarted FerretDB included', async () => {
    // A separate node process starts one, restarts its FerretDB, reports, and is then killed.
    const script = `
      const { startDisposableMongo } = require('@messngr/infra');
      (async () => {
        const db = await startDisposableMongo({ name: 'e2e-killed' });
        const firstFerretdb = db.pids().ferretdb;
        await db.stopServer();
        await db.startServer();
        process.stdout.write(JSON.stringify({ rootDir: db.rootDir, mongoUri: db.mongoUri, firstFerretdb, ...db.pids() }) + '\\n');
        setInterval(() => undefined, 1000);
      })().catch((error) => {
        console.error(error);
        process.exit(1);
      });`;
    const runner = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: path.resolve(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    killedRunner = runner;
    const report = await firstLine(runner);
    const started = JSON.parse(report) as {
      rootDir: string;
      mongoUri: string;
      firstFerretdb: number;
      postgres: number;
      ferretdb: number;
      watchdog: number;
    };
    expect(started.ferretdb).not.toBe(started.firstFerretdb);
    const servers = [started.postgres, ...childrenOf(started.postgres), started.ferretdb];
    expect(servers.filter(isRunning)).toEqual(servers);
    expect(existsSync(started.rootDir)).toBe(true);

    runner.kill('SIGKILL');
    await eventually(
      async () => {
        expect(servers.filter(isRunning)).toEqual([]);
        expect(existsSync(started.rootDir)).toBe(false);
        expect(isRunning(started.watchdog)).toBe(false);
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    expect(await connectError(Number(new URL(started.mongoUri).port))).toBe('ECONNREFUSED');
  }, 30_000);
});

/** Alive and not a zombie (PostgreSQL is daemonized; nobody may reap it in a container). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Pids whose parent is `pid` (the postmaster's backends and auxiliary processes). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

function readPidFile(file: string): number {
  return Number(readFileSync(file, 'utf8').split('\n')[0]);
}

/** The error code of a TCP connect to the port, or 'connected'. */
function connectError(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const end = stdout.indexOf('\n');
      if (end >= 0) resolve(stdout.slice(0, end));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code, signal) => reject(new Error(`runner exited (${signal ?? code}) before reporting:\n${stderr}`)));
  });
}
