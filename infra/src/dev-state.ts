import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { InfrastructureDetails } from './infrastructure';
import { stateDir } from './paths';

/** Contents of <repo>/.data/infra/dev.json while `infra up` is running. */
export interface DevInfrastructureState extends InfrastructureDetails {
  supervisorPid: number;
  mongoUri: string;
  kafkaBrokers: string;
  logFile: string;
  startedAt: string;
}

export const devStateFile = path.join(stateDir, 'dev.json');
export const devLogFile = path.join(stateDir, 'dev.log');

export async function readDevState(): Promise<DevInfrastructureState | null> {
  try {
    return JSON.parse(await readFile(devStateFile, 'utf8')) as DevInfrastructureState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${devStateFile}: ${(error as Error).message}`);
  }
}

export async function writeDevState(state: DevInfrastructureState): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const temp = `${devStateFile}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temp, devStateFile);
}

export async function removeDevState(): Promise<void> {
  await rm(devStateFile, { force: true });
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
