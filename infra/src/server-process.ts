import { spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';

export interface SpawnServerOptions {
  /** stdout and stderr are appended here. */
  logFile: string;
  /** The pid is written here, for the watchdog. */
  pidFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** A long-running child process (Kafka, FerretDB). */
export class ServerProcess {
  readonly pid: number;
  readonly exited: Promise<void>;
  private exitDescription: string | null = null;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    readonly options: SpawnServerOptions,
  ) {
    const logFd = openSync(options.logFile, 'a');
    try {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ['ignore', logFd, logFd],
      });
      this.exited = new Promise((resolve) => {
        child.once('error', (error) => {
          this.exitDescription = `failed to start: ${error.message}`;
          resolve();
        });
        child.once('exit', (code, signal) => {
          this.exitDescription = signal ? `killed by ${signal}` : `exited with code ${code ?? '?'}`;
          resolve();
        });
      });
      if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
      this.pid = child.pid;
      // Servers never keep the event loop alive; stop() and the exit hooks end them.
      child.unref();
    } finally {
      closeSync(logFd);
    }
    writeFileSync(options.pidFile, `${this.pid}\n`);
  }

  /** Null while running, else how it ended ("exited with code 1"). */
  get exitStatus(): string | null {
    return this.exitDescription;
  }

  /** SIGTERM, then SIGKILL when it has not exited after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (this.exitDescription !== null) return;
    this.signal('SIGTERM');
    if (await settlesWithin(this.exited, graceMs)) return;
    this.signal('SIGKILL');
    await settlesWithin(this.exited, 5000);
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      process.kill(this.pid, signal);
    } catch {
      // already gone
    }
  }
}

export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
