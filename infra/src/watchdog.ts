import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { CleanupPlan } from './cleanup-plan';

const script = path.join(__dirname, 'watchdog.mjs');

export interface Watchdog {
  pid: number;
  /** Dismisses the watchdog without cleanup (after a normal stop). */
  dismiss(): void;
}

/**
 * Starts a detached plain-node process that carries out `plan` once this process is gone,
 * even when it is killed with SIGKILL.
 */
export function startWatchdog(plan: CleanupPlan): Watchdog {
  const child = spawn(process.execPath, [script, 'watch', JSON.stringify({ parentPid: process.pid, plan })], {
    detached: true, // own session: a Ctrl-C meant for us must not kill it too
    stdio: 'ignore',
    cwd: '/',
  });
  if (child.pid === undefined) throw new Error(`could not start the infrastructure watchdog (${script})`);
  child.unref();
  const pid = child.pid;
  return {
    pid,
    dismiss: () => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

/** Carries out `plan` synchronously (safe in an 'exit' handler; idempotent). */
export function cleanupNowSync(plan: CleanupPlan): void {
  spawnSync(process.execPath, [script, 'now', JSON.stringify(plan)], { stdio: 'ignore', cwd: '/', timeout: 30000 });
}
