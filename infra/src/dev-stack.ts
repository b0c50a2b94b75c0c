import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { devLogFile, devStateFile, isProcessAlive, readDevState, removeDevState, type DevInfrastructureState } from './dev-state';
import type { SupervisorMessage } from './dev-supervisor';
import { isPortOpen } from './free-port';
import type { InfrastructureOptions } from './infrastructure';
import { withLogTail } from './log-tail';
import { repoRoot, stateDir } from './paths';
import { cleanupNowSync } from './watchdog';
import { sleep } from './wait';

export type { DevInfrastructureState } from './dev-state';

export const DEV_PORTS = { postgres: 55432, mongo: 27017, kafka: 9092, kafkaController: 9093 } as const;

export interface DevInfrastructureOptions {
  topics?: InfrastructureOptions['topics'];
  /** Defaults to DEV_PORTS. */
  ports?: InfrastructureOptions['ports'];
  log?: (line: string) => void;
}

export interface DevInfrastructureStatus {
  running: boolean;
  state: DevInfrastructureState | null;
  /** Whether each server's port answers. */
  ports: { postgres: boolean; mongo: boolean; kafka: boolean } | null;
}

const cliScript = path.join(__dirname, 'cli.ts');

/**
 * Starts the dev infrastructure in a detached supervisor process that outlives the caller
 * (`npm run infra:up`), or returns the running one. Resolves once everything is ready.
 */
export async function startDevInfrastructure(options: DevInfrastructureOptions = {}): Promise<DevInfrastructureState> {
  const log = options.log ?? (() => undefined);
  const existing = await readDevState();
  if (existing && isProcessAlive(existing.supervisorPid)) {
    log(`dev infrastructure already running (supervisor pid ${existing.supervisorPid})`);
    return existing;
  }
  if (existing) await cleanUpLeftovers(existing);

  mkdirSync(stateDir, { recursive: true });
  const logFd = openSync(devLogFile, 'w');
  const args = JSON.stringify({ ports: { ...DEV_PORTS, ...options.ports }, topics: options.topics ?? [] });
  // The supervisor runs TypeScript through tsx, resolved from the repo root.
  const child = spawn(process.execPath, ['--import', 'tsx', cliScript, 'serve', args], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', logFd, logFd, 'ipc'],
  });
  closeSync(logFd);

  try {
    await new Promise<void>((resolve, reject) => {
      child.on('message', (message: SupervisorMessage) => {
        if (message.type === 'log') log(message.line);
        else if (message.type === 'ready') resolve();
        else reject(new Error(`dev infrastructure failed to start (log: ${devLogFile}):\n${message.message}`));
      });
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        reject(
          new Error(
            withLogTail(`dev infrastructure supervisor exited (${signal ?? `code ${code}`}) before it was ready`, devLogFile),
          ),
        );
      });
    });
  } finally {
    // let go of the supervisor: it lives on after success, and exits by itself after a failure
    child.removeAllListeners();
    if (child.connected) child.disconnect();
    child.unref();
  }

  const state = await readDevState();
  if (!state) throw new Error(`dev infrastructure reported ready but ${devStateFile} is missing`);
  return state;
}

/** Stops the dev infrastructure started by startDevInfrastructure(). Returns false when none was running. */
export async function stopDevInfrastructure(log: (line: string) => void = () => undefined): Promise<boolean> {
  const state = await readDevState();
  if (!state) {
    log('dev infrastructure is not running');
    return false;
  }
  if (isProcessAlive(state.supervisorPid)) {
    log(`stopping dev infrastructure (supervisor pid ${state.supervisorPid})...`);
    process.kill(state.supervisorPid, 'SIGTERM');
    for (let i = 0; i < 300 && isProcessAlive(state.supervisorPid); i++) await sleep(100);
    if (isProcessAlive(state.supervisorPid)) {
      log('supervisor did not stop within 30s: killing it');
      process.kill(state.supervisorPid, 'SIGKILL');
    }
  }
  await cleanUpLeftovers(state);
  log('dev infrastructure stopped');
  return true;
}

export async function devInfrastructureStatus(): Promise<DevInfrastructureStatus> {
  const state = await readDevState();
  if (!state) return { running: false, state: null, ports: null };
  const [postgres, mongo, kafka] = await Promise.all([
    isPortOpen(state.ports.postgres),
    isPortOpen(state.ports.mongo),
    isPortOpen(state.ports.kafka),
  ]);
  return { running: isProcessAlive(state.supervisorPid), state, ports: { postgres, mongo, kafka } };
}

/** Whatever a killed supervisor (or its watchdog) left behind: servers, folders, state file. */
async function cleanUpLeftovers(state: DevInfrastructureState): Promise<void> {
  cleanupNowSync(state.cleanupPlan);
  if (isProcessAlive(state.pids.watchdog)) process.kill(state.pids.watchdog, 'SIGTERM');
  await removeDevState();
}
